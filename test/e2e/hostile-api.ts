/**
 * A prediction API that misbehaves on purpose, for tests: loopback only, at most `maxRequests` requests,
 * and it closes itself (connections too) after `lifetimeMs` whatever the test does. The path picks the
 * misbehaviour; every answer is for `classes` classes, one per instance the request sent.
 *
 *   /ok                     uniform probabilities (a well-behaved API)
 *   /auth                   /ok when the Authorization header is `token`, else 401
 *   /redirect/CODE?to=URL   a redirect (CODE 301, 302, 303, 307, 308...) to URL (no `to`: no Location;
 *                           `to=secret`: SECRET_LOCATION, a url with a password and an api_key)
 *   /endless                an answer that never ends, one valid-looking prediction after another
 *   /line                   one line of 40 MB (a string that never closes)
 *   /gzip                   8 MB of predictions gzip-compressed into a few hundred kB
 *   /cut/N, /cut-chunked/N  a valid answer cut after N bytes (declared length, or chunked)
 *   /drip                   one byte every 100 ms, for ever
 *   /stall                  headers, then nothing
 *   /probs/NAME             a row per instance: zero [0, 0], high [0.9, 0.9], negative [-0.1, 1.1],
 *                           over [1.5, -0.5], rounded [0.33, 0.33, 0.33]... (see ROWS)
 *   /text/NAME              a raw answer text: nan, inf, huge (logits 1e300), deep (lists nested 6000 deep),
 *                           dup-topk (a class twice)
 *   /error                  400 with terminal escapes and 20 kB in its body
 *   /status/CODE            an empty answer with that status
 *   /throttle/N?after=V     429 with `Retry-After: V` to its first N requests (V `date+S`: an HTTP-date S seconds
 *                           ahead), then /echo; with `&key=1` every request must carry the token (else 401)
 *   /unavailable/N          503 without Retry-After to its first N requests, then /echo
 *   /slow/MS                /echo after a random wait of up to MS ms, so answers come back out of order
 *   /echo                   per instance [a, 1 − a] with a = 1 / (1 + e^−x₀), x₀ its first number
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface HostileApi {
  /** `http://HOST:PORT` */
  origin: string;
  /** Requests per path (query left out), and the Authorization headers received, in order. */
  requests: Map<string, number>;
  authorizations: (string | undefined)[];
  /** The most requests it was answering at once, and when each request came (ms, per path). */
  maxInFlight: number;
  arrivals: Map<string, number[]>;
  close(): Promise<void>;
}

export interface HostileOptions {
  classes: number;
  host?: string;
  /** The token /auth expects. */
  token?: string;
  maxRequests?: number;
  lifetimeMs?: number;
}

/** A Location carrying secrets (the password hunter2, the api_key abc123), which no message may show. */
export const SECRET_LOCATION = 'http://admin:hunter2@127.0.0.2:9/steal?api_key=abc123';

const ROWS: Record<string, (c: number) => number[]> = {
  zero: (c) => Array(c).fill(0),
  high: (c) => Array(c).fill(0.9),
  negative: (c) => [-0.1, 1.1, ...Array(c - 2).fill(0)],
  over: (c) => [1.5, -0.5, ...Array(c - 2).fill(0)],
  half: (c) => [0.5, ...Array(c - 1).fill(0)],
  strings: (c) => Array(c).fill('0.5') as unknown as number[],
  rounded: (c) => Array(c).fill(Number((1 / c).toFixed(2))),
  exact: (c) => Array(c).fill(1 / c),
};

const TEXTS: Record<string, (n: number, c: number) => string> = {
  nan: (n, c) =>
    `{"predictions": [${Array(n)
      .fill(`[${Array(c).fill('NaN').join(', ')}]`)
      .join(', ')}]}`,
  inf: (n, c) =>
    `{"predictions": [${Array(n)
      .fill(`[Infinity${', 0'.repeat(c - 1)}]`)
      .join(', ')}]}`,
  huge: (n, c) =>
    `{"predictions": [${Array(n)
      .fill(`[1e300${', 0'.repeat(c - 1)}]`)
      .join(', ')}]}`,
  deep: (n) =>
    `{"predictions": [${Array(n)
      .fill(`${'['.repeat(6000)}${']'.repeat(6000)}`)
      .join(', ')}]}`,
  'dup-topk': (n) => `{"predictions": [${Array(n).fill('{"classes": [0, 0], "scores": [0.5, 0.5]}').join(', ')}]}`,
};

/** 8 MB of `[0.5, 0.5], ` inside a predictions list, gzip-compressed once. */
let bomb: Buffer | undefined;
const gzipBomb = (): Buffer => {
  bomb ??= gzipSync(Buffer.from(`{"predictions": [${'[0.5, 0.5], '.repeat((8 * 1024 * 1024) / 12)}`));
  return bomb;
};

export async function hostileApi(o: HostileOptions): Promise<HostileApi> {
  const requests = new Map<string, number>();
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  let total = 0;
  let inFlight = 0;
  const arrivals = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    total++;
    inFlight++;
    api.maxInFlight = Math.max(api.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const url = new URL(req.url ?? '/', 'http://x');
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    arrivals.set(url.pathname, [...(arrivals.get(url.pathname) ?? []), performance.now()]);
    authorizations.push(req.headers.authorization);
    if (total > (o.maxRequests ?? 500)) {
      res.writeHead(503).end('too many requests for this test server');
      return;
    }
    readInstances(req, (n, instances) =>
      misbehave(url, n, o, req, res, { instances, seen: requests.get(url.pathname)! }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const close = () =>
    new Promise<void>((ok) => {
      for (const s of sockets) s.destroy();
      server.close(() => ok());
    });
  const timer = setTimeout(() => void close(), o.lifetimeMs ?? 240_000);
  timer.unref();
  await new Promise<void>((ok) => server.listen(0, o.host ?? '127.0.0.1', ok));
  const { address, port } = server.address() as AddressInfo;
  const api: HostileApi = {
    origin: `http://${address}:${port}`,
    requests,
    authorizations,
    maxInFlight: 0,
    arrivals,
    close: () => {
      clearTimeout(timer);
      return close();
    },
  };
  return api;
}

/** The number of instances a request sent (its body read up to 16 MB). */
function readInstances(req: IncomingMessage, then: (n: number, instances: unknown[]) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (d: Buffer) => {
    size += d.length;
    if (size <= 16 * 1024 * 1024) chunks.push(d);
  });
  req.on('end', () => {
    let instances: unknown[] = [null];
    try {
      instances = (JSON.parse(Buffer.concat(chunks).toString()) as { instances: unknown[] }).instances;
    } catch {}
    then(instances.length, instances);
  });
}

/** The request's instances and how many requests its path has had, this one included. */
interface Seen {
  instances: unknown[];
  seen: number;
}

/** /echo's rows: [a, 1 − a], a = 1 / (1 + e^−x₀) of each instance's first number (0 when there is none). */
const echo = (instances: unknown[]): number[][] =>
  instances.map((v) => {
    const x0 = Array.isArray(v) && typeof v[0] === 'number' ? v[0] : 0;
    const a = 1 / (1 + Math.exp(-x0));
    return [a, 1 - a];
  });

/** The paths that pace or fail for a while, then echo; false when the path is none of them. */
function paced(
  what: string | undefined,
  arg: string | undefined,
  url: URL,
  o: HostileOptions,
  req: IncomingMessage,
  res: ServerResponse,
  s: Seen,
): boolean {
  const send = (text: string, status = 200, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  };
  const answer = () => send(`{"predictions": ${JSON.stringify(echo(s.instances))}}`);
  if (what === 'throttle') {
    if (url.searchParams.get('key') && req.headers.authorization !== o.token) send('{"error": "no key"}', 401);
    else if (s.seen > Number(arg)) answer();
    else {
      const after = url.searchParams.get('after') ?? '1';
      const date = /^date\+(\d+)$/.exec(after);
      const value = date ? new Date(Date.now() + Number(date[1]) * 1000).toUTCString() : after;
      send('{"error": "slow down"}', 429, { 'retry-after': value });
    }
  } else if (what === 'unavailable') {
    if (s.seen > Number(arg)) answer();
    else send('{"error": "try again"}', 503);
  } else if (what === 'slow') setTimeout(answer, Math.random() * Number(arg));
  else if (what === 'echo') answer();
  else return false;
  return true;
}

function misbehave(url: URL, n: number, o: HostileOptions, req: IncomingMessage, res: ServerResponse, s: Seen): void {
  const [, what, arg] = url.pathname.split('/');
  if (paced(what, arg, url, o, req, res, s)) return;
  const c = o.classes;
  const json = (rows: unknown[]) => `{"predictions": ${JSON.stringify(rows)}}`;
  const send = (text: string, status = 200): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(text);
  };
  switch (what) {
    case 'ok':
      send(json(Array(n).fill(ROWS.exact!(c))));
      return;
    case 'auth':
      if (req.headers.authorization !== o.token) send('{"error": "missing or wrong token"}', 401);
      else send(json(Array(n).fill(ROWS.exact!(c))));
      return;
    case 'redirect': {
      const asked = url.searchParams.get('to');
      const to = asked === 'secret' ? SECRET_LOCATION : asked;
      res.writeHead(Number(arg), to ? { location: to } : {}).end('{"moved": true}');
      return;
    }
    case 'endless':
      stream(res, '{"predictions": [', `[${Array(c).fill(0.5).join(', ')}], `, Number.POSITIVE_INFINITY);
      return;
    case 'line':
      stream(res, '{"predictions": ["', 'A'.repeat(64 * 1024), 40 * 1024 * 1024);
      return;
    case 'gzip':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipBomb());
      return;
    case 'cut':
    case 'cut-chunked':
      cut(res, json(Array(n).fill(ROWS.exact!(c))), Number(arg), what === 'cut');
      return;
    case 'drip':
      drip(res);
      return;
    case 'stall':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    case 'probs':
      send(json(Array(n).fill(ROWS[arg ?? '']!(c))));
      return;
    case 'text':
      send(TEXTS[arg ?? '']!(n, c));
      return;
    case 'error':
      send(`\u001b[2J\u001b[HYOUR MODEL IS SAFE\u0007 ${'x'.repeat(20_000)}`, 400);
      return;
    case 'status':
      send('', Number(arg));
      return;
    default:
      send('{"error": "unknown path"}', 404);
      return;
  }
}

/** `head`, then `piece` again and again until `limit` bytes or the client goes away (writing as it drains). */
function stream(res: ServerResponse, head: string, piece: string, limit: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let sent = 0;
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const pump = () => {
    while (!gone && sent < limit) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!gone) res.end();
  };
  res.write(head);
  pump();
}

/** The first `bytes` bytes of `text`, then the connection cut (with the whole length declared, or chunked). */
function cut(res: ServerResponse, text: string, bytes: number, declared: boolean): void {
  const body = Buffer.from(text);
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(declared ? { 'content-length': String(body.length) } : {}),
  });
  if (bytes > 0) res.write(body.subarray(0, Math.min(bytes, body.length - 1)));
  else res.flushHeaders();
  setTimeout(() => res.socket?.destroy(), 20);
}

function drip(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const text = '{"predictions": [[0.5, 0.5]';
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(text[i++ % text.length]!);
  }, 100);
  res.on('close', () => clearInterval(timer));
}
