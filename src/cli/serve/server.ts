/**
 * The HTTP server of `mia serve` (Fastify): `POST /predict` (predict.ts) and `GET /health`. Limits are
 * checked before the work: the request rate (a token bucket; over it, 429 with Retry-After) before the
 * body is read, the body's size while it is read (413), the batch before the model runs (413). Every
 * refusal is a 4xx with `{"error": message}`; a failure of the model itself is a 500 that names no
 * internals. Each answered request is one access-log entry.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { TokenBucket } from '../../util/pace.js';
import { type Predictor, predict, readInstances, RequestError } from './predict.js';
import { releaseForm } from '../../kinds/output-release.js';

export interface ServerOptions {
  host: string;
  port: number;
  /** The most bytes a request body may have. */
  maxBody: number;
  /** Requests a second (0: no limit), with as many at once. */
  rate: number;
  /** Seconds a request may take, its body read in full. */
  timeout: number;
}

/** One answered request, for the access log. */
export interface AccessEntry {
  at: number;
  ip: string;
  method: string;
  url: string;
  status: number;
  /** Records predicted (absent when refused before). */
  instances?: number;
  ms: number;
  /** The message of a refusal or failure. */
  error?: string;
}

export interface Served {
  url: string;
  app: FastifyInstance;
  /** Requests answered so far. */
  count(): number;
}

/** What the access log says of each request: the records it predicted, or why it was refused. */
interface Notes {
  instances: WeakMap<object, number>;
  errors: WeakMap<object, string>;
}

/** The rate limit (before the body is read), and every refusal as a 4xx with {"error": message}. */
function guard(app: FastifyInstance, o: ServerOptions, notes: Notes): void {
  const bucket = o.rate > 0 ? new TokenBucket(o.rate) : null;
  app.addHook('onRequest', async (req, reply) => {
    const wait = bucket?.take() ?? 0;
    if (wait > 0) {
      const message = `Over this server's rate limit of ${o.rate} requests a second: retry after the time Retry-After gives.`;
      notes.errors.set(req, message);
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return reply.code(429).send({ error: message });
    }
  });
  app.setErrorHandler((e: FastifyError | RequestError, req, reply) => {
    const status = e instanceof RequestError ? e.status : (e.statusCode ?? 500);
    const message =
      status === 415
        ? 'Send the body as JSON (content-type: application/json): {"instances": [record, ...]}.'
        : status < 500 || e instanceof RequestError
          ? e.message
          : 'The model failed on this request; see the server log.';
    notes.errors.set(req, status >= 500 && !(e instanceof RequestError) ? `${message} (${e.message})` : message);
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((req, reply) => {
    const message = `No ${req.method} ${req.url.slice(0, 100)} here: POST /predict, GET /health.`;
    notes.errors.set(req, message);
    return reply.code(404).send({ error: message });
  });
}

/** One access-log entry per answered request. */
function logged(app: FastifyInstance, notes: Notes, log: (e: AccessEntry) => void): void {
  app.addHook('onResponse', async (req, reply) => {
    const n = notes.instances.get(req);
    const error = notes.errors.get(req);
    log({
      at: Date.now(),
      ip: req.ip,
      method: req.method,
      url: req.url,
      status: reply.statusCode,
      ...(n !== undefined ? { instances: n } : {}),
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(error !== undefined ? { error } : {}),
    });
  });
}

/** Starts the server; resolves once it listens. */
export async function startServer(p: Predictor, o: ServerOptions, log: (e: AccessEntry) => void): Promise<Served> {
  const app = Fastify({
    logger: false,
    bodyLimit: o.maxBody,
    requestTimeout: o.timeout * 1000,
    connectionTimeout: o.timeout * 1000,
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  app.removeContentTypeParser('text/plain'); // rows are JSON: anything else is a 415
  const notes: Notes = { instances: new WeakMap(), errors: new WeakMap() };
  guard(app, o, notes);
  logged(app, notes, log);
  let requests = 0;
  app.get('/health', async () => ({
    status: 'ok',
    shape: p.model.shape,
    classes: p.model.classes,
    output: p.output === 'logits' ? 'logits' : releaseForm(p.release),
  }));
  app.post('/predict', async (req) => {
    const { x, n } = readInstances(req.body, p);
    notes.instances.set(req, n);
    return { predictions: predict(p, x, n, requests++) };
  });
  await app.listen({ host: o.host, port: o.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return { url: `http://${host}:${port}`, app, count: () => requests };
}
