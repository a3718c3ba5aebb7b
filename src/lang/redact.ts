/**
 * Secrets in URLs kept out of what mia prints: the user-info part (`https://user:pass@host/`) and the
 * values of query parameters named like credentials (`?api_key=…`, `?token=…`). Messages show `***`;
 * code frames keep each character's column (the secret becomes as many `*`) so carets still point right.
 */

/** Query parameters whose values are taken for secrets. */
const SECRET_PARAM = /key|token|secret|pass|auth|sig|credential|session/i;

/** `url` with its user-info and secret-looking query values replaced by `***` (text that is no URL: its user-info cut). */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactUrlsIn(url, () => '***');
  }
  const userinfo = u.username !== '' || u.password !== '';
  const params = [...u.searchParams.keys()].filter((k) => SECRET_PARAM.test(k));
  if (!userinfo && params.length === 0) return url;
  const host = `${u.protocol}//${userinfo ? '***@' : ''}${u.host}${u.pathname}`;
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => `${encodeURIComponent(k)}=${SECRET_PARAM.test(k) ? '***' : encodeURIComponent(v)}`)
    .join('&');
  return `${host}${query ? `?${query}` : ''}${u.hash}`;
}

/** Whether `url` carries user-info (a user name or password before the host). */
export function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return new RegExp(USERINFO.source, 'i').test(url);
  }
}

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;

/** Every `scheme://userinfo@` in free text with its user-info masked (by default one `*` per character). */
export function redactUrlsIn(text: string, mask: (secret: string) => string = (s) => '*'.repeat(s.length)): string {
  return text.replace(USERINFO, (_, scheme: string, info: string) => `${scheme}${mask(info)}@`);
}
