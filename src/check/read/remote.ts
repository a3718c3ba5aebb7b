/**
 * The settings only a remote target has: `url`, `output`, `budget`, `headers` and `timeout`. Header values
 * come from environment variables only (`headers: { Authorization: env("MIA_API_TOKEN") }`), so no secret is
 * written in a spec (a url with credentials is refused); the variables are looked up at plan time (src/plan/remote.ts), their values at query time.
 */
import { clip, type Expr, hasUserinfo, redactUrl } from '../../lang/index.js';
import type { RemoteHeader, RemotePace, TargetDef } from '../../kinds/program.js';
import type { SettingDoc } from '../../kinds/schema.js';
import { callParts, type Param } from './expr-reader.js';
import type { ReadContext } from './context.js';

export const REMOTE_SETTINGS = ['url', 'output', 'budget', 'headers', 'timeout', 'concurrency', 'rate'] as const;
const OUTPUTS = ['probabilities', 'logits', 'labels', 'top_k', 'scores'] as const;
/** The remote settings as the editor shows them (see the README's "Remote targets"). */
export const REMOTE_DOCS: Readonly<Record<(typeof REMOTE_SETTINGS)[number], SettingDoc>> = {
  url: { type: 'string', default: 'required', doc: "The API's url: http or https, no credentials in it." },
  output: {
    type: 'probabilities | logits | labels | scores | top_k(K)',
    default: 'probabilities',
    doc: 'What the API answers per record.',
    options: OUTPUTS,
  },
  budget: { type: 'integer, at least 1', default: 'required', doc: 'The most records the plan may send it.' },
  headers: {
    type: 'block of env("VAR")',
    default: 'none',
    doc: 'Request headers, their values from environment variables.',
  },
  timeout: { type: 'seconds, at most 600', default: '60', doc: 'How long one attempt of a request may take.' },
  concurrency: { type: 'integer, 1 to 64', default: '4', doc: 'Requests kept in flight at once.' },
  rate: { type: 'number, greater than 0', default: 'none', doc: 'Requests a second at most.' },
};
/** The longest a request may be given, in seconds. */
export const MAX_REMOTE_TIMEOUT = 600;
/** The most requests mia keeps in flight to one API. */
export const MAX_REMOTE_CONCURRENCY = 64;
/** Headers mia sets itself (or the HTTP layer does): a spec cannot replace them. */
const RESERVED = ['host', 'content-type', 'content-length', 'accept', 'connection', 'transfer-encoding', 'te'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Remote = Extract<TargetDef, { kind: 'remote' }>;
export type RemoteSettings = Pick<Remote, 'url' | 'output' | 'k' | 'budget' | 'headers' | 'timeout' | 'pace'>;

/** A remote API's output: probabilities, logits, labels, scores, or top_k(K) (its K highest probabilities). */
function readOutput(ctx: ReadContext, e: Expr, what: string): Pick<Remote, 'output' | 'k'> | undefined {
  const { r } = ctx;
  const c = callParts(e);
  if (c?.name !== 'top_k') {
    const output = r.oneOf(e, 'output', OUTPUTS);
    return output === undefined ? undefined : { output };
  }
  const [arg] = c.args;
  if (c.args.length !== 1 || !arg || arg.name !== null) {
    r.error('E110', `The output top_k of ${what} needs how many classes the API returns: write top_k(3).`, e.range);
    return undefined;
  }
  const k = r.number(arg.value, `The k of top_k in ${what}`, { integer: true });
  return k === undefined ? undefined : { output: 'top_k', k };
}

/** `headers: { Name: env("VAR"), ... }`: a key's `_` is sent as `-` (`X_Api_Key` is the header X-Api-Key). */
function readHeaders(ctx: ReadContext, e: Expr, what: string): RemoteHeader[] | undefined {
  const { r } = ctx;
  const hint = 'Write headers: { Authorization: env("MIA_API_TOKEN") } and set the variable to the whole value.';
  if (e.kind !== 'block') {
    r.error(
      'E193',
      `The headers of ${what} must be a block of header names and env("VARIABLE") values.`,
      e.range,
      hint,
    );
    return undefined;
  }
  const out: RemoteHeader[] = [];
  let ok = true;
  for (const entry of e.block.entries) {
    const name = entry.key.replace(/_/g, '-');
    const c = callParts(entry.value);
    const arg = c?.name === 'env' && c.args.length === 1 && !c.block ? c.args[0] : undefined;
    const env = arg && arg.name === null && arg.value.kind === 'string' ? arg.value.value : undefined;
    const fail = (message: string): void => {
      r.error('E193', message, entry.range, hint);
      ok = false;
    };
    if (RESERVED.includes(name.toLowerCase())) fail(`The header "${name}" of ${what} is set by mia itself.`);
    else if (out.some((h) => h.name.toLowerCase() === name.toLowerCase()))
      fail(`The header "${name}" is given twice in ${what}.`);
    else if (env === undefined)
      fail(
        `The header "${name}" of ${what} must take its value from an environment variable, as env("VARIABLE"), so that no secret is written in the spec.`,
      );
    else if (!ENV_NAME.test(env))
      fail(`The environment variable of header "${name}" in ${what} must be a name such as MIA_API_TOKEN.`);
    else out.push({ name, env, range: entry.range });
  }
  return ok ? out : undefined;
}

/**
 * `concurrency` (requests in flight, 1 to MAX_REMOTE_CONCURRENCY) and `rate` (requests a second, above 0):
 * how fast mia asks. Null when one is wrong (reported); {} when neither is given.
 */
function readPace(ctx: ReadContext, p: Map<string, Param>, what: string): RemotePace | null {
  const { r } = ctx;
  const out: RemotePace = {};
  const cE = p.get('concurrency');
  const concurrency = cE ? r.number(cE.value, `The concurrency of ${what}`, { integer: true }) : undefined;
  if (cE && concurrency !== undefined && !(concurrency >= 1 && concurrency <= MAX_REMOTE_CONCURRENCY)) {
    r.error(
      'E117',
      `The concurrency of ${what} must be from 1 to ${MAX_REMOTE_CONCURRENCY} requests at once.`,
      cE.value.range,
    );
    return null;
  }
  const rE = p.get('rate');
  const rate = rE ? r.number(rE.value, `The rate of ${what}`) : undefined;
  if (rE && rate !== undefined && !(rate > 0 && rate <= 1e6)) {
    r.error('E117', `The rate of ${what} must be more than 0 and at most 1000000 requests a second.`, rE.value.range);
    return null;
  }
  if ((cE && concurrency === undefined) || (rE && rate === undefined)) return null;
  if (concurrency !== undefined) out.concurrency = concurrency;
  if (rate !== undefined) out.rate = rate;
  return out;
}

/** The remote settings of `p`, or undefined when one is missing or wrong (each reported). */
export function readRemoteSettings(
  ctx: ReadContext,
  p: Map<string, Param>,
  what: string,
  need: (k: string) => Param | undefined,
): RemoteSettings | undefined {
  const { r } = ctx;
  const uE = need('url');
  let url = uE ? r.string(uE.value, `The url of ${what}`) : undefined;
  if (uE && url !== undefined && hasUserinfo(url)) {
    r.error(
      'E193',
      `The url of ${what} carries credentials (${clip(redactUrl(url), 200)}): a spec is shared and kept with its results, so mia takes none from it.`,
      uE.value.range,
      'Remove them from the url and pass them in a header from the environment: headers: { Authorization: env("MIA_API_TOKEN") }.',
    );
    url = undefined;
  }
  const oE = p.get('output');
  const out = oE ? readOutput(ctx, oE.value, what) : { output: 'probabilities' as const };
  const bE = need('budget');
  const budget = bE ? r.number(bE.value, `The query budget of ${what}`, { integer: true }) : undefined;
  const hE = p.get('headers');
  const headers = hE ? readHeaders(ctx, hE.value, what) : [];
  const tE = p.get('timeout');
  const timeout = tE ? r.number(tE.value, `The timeout of ${what}`) : undefined;
  const pace = readPace(ctx, p, what);
  if (tE && timeout !== undefined && !(timeout > 0 && timeout <= MAX_REMOTE_TIMEOUT))
    r.error(
      'E117',
      `The timeout of ${what} must be more than 0 and at most ${MAX_REMOTE_TIMEOUT} seconds.`,
      tE.value.range,
    );
  else if (url !== undefined && out && budget !== undefined && headers && (!tE || timeout !== undefined) && pace)
    return {
      url,
      ...out,
      budget,
      ...(headers.length ? { headers } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
      ...(Object.keys(pace).length ? { pace } : {}),
    };
  return undefined;
}
