/**
 * `mia serve MODEL`: loads the model (model-source.ts), reads the output defenses as a spec's, starts the
 * server on loopback unless told otherwise, prints one access-log line per request (terminal text or JSON
 * lines, untrusted text escaped), and stops cleanly on Ctrl-C or SIGTERM (in-flight requests answered).
 */
import { releaseForm } from '../../kinds/output-release.js';
import { visible } from '../../lang/visible.js';
import { initBackend } from '../../ml/backend.js';
import type { BackendChoice } from '../../ml/backend-choice.js';
import { UsageError } from '../../pipeline/index.js';
import { servedRelease } from './defenses.js';
import { MODEL_SOURCES, sourceFor } from './model-source.js';
import type { ServedOutput } from './predict.js';
import { type AccessEntry, startServer } from './server.js';

export interface ServeOptions {
  model: string;
  target?: string;
  cache?: string | null;
  backend: BackendChoice;
  defenses: string[];
  output: ServedOutput;
  host: string;
  port: number;
  maxBatch: number;
  maxBody: number;
  rate: number;
  timeout: number;
  seed: number;
  json: boolean;
  /** Resolves when the server should stop (default: the first SIGINT or SIGTERM). */
  stop?: Promise<unknown>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function accessLine(e: AccessEntry): string {
  const what = e.instances !== undefined ? ` ${e.instances} instances` : '';
  const error = e.error ? ` (${e.error.slice(0, 200)})` : '';
  const time = new Date(e.at).toISOString();
  return visible(`${time} ${e.ip} ${e.method} ${e.url.slice(0, 200)} ${e.status}${what} ${e.ms} ms${error}`);
}

/** The first SIGINT or SIGTERM, whichever comes; the handlers are removed once one has. */
function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const on = (s: string) => () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
      resolve(s);
    };
    const int = on('SIGINT');
    const term = on('SIGTERM');
    process.once('SIGINT', int);
    process.once('SIGTERM', term);
  });
}

export async function serveCommand(
  o: ServeOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  if (o.output === 'logits' && o.defenses.length)
    throw new UsageError('--output logits answers the model as it is: it cannot carry output defenses; leave one out.');
  const source = sourceFor(o.model);
  if (!source)
    throw new UsageError(
      `${visible(o.model)} is none of what mia serve serves: ${MODEL_SOURCES.map((s) => s.looksLike).join('; ')}.`,
    );
  const backend = await initBackend(o.backend);
  const model = await source.load(o.model, { backend, ...(o.target ? { target: o.target } : {}), cache: o.cache });
  const { release, warnings } = servedRelease(o.defenses, model.classes);
  for (const w of warnings) err(`mia: ${w}\n`);
  const write = (line: object | string): void =>
    o.json ? out(`${JSON.stringify(line)}\n`) : err(`${typeof line === 'string' ? line : ''}\n`);
  const predictor = { model, release, output: o.output, maxBatch: o.maxBatch, seed: o.seed };
  const stop = o.stop ?? signalled();
  const server = await startServer(predictor, o, (e) =>
    o.json ? write({ type: 'request', ...e }) : write(accessLine(e)),
  );
  const form = o.output === 'logits' ? 'logits' : releaseForm(release);
  const released = o.defenses.length ? `, releasing ${o.defenses.join(', ')} (${form})` : ` (${form})`;
  if (!LOOPBACK.has(o.host))
    err(`mia: serving on ${o.host}, not loopback: anyone who can reach this machine can query the model.\n`);
  if (o.json)
    write({
      type: 'listening',
      url: `${server.url}/predict`,
      shape: model.shape,
      classes: model.classes,
      output: form,
      backend,
    });
  else
    write(
      visible(
        `mia serve: ${model.describe}, input [${model.shape.join(', ')}], ${model.classes} classes${released}, on ${backend}\n` +
          `  POST ${server.url}/predict   GET ${server.url}/health   Ctrl-C stops`,
      ),
    );
  await stop;
  await server.app.close();
  model.dispose();
  if (o.json) write({ type: 'stopped', requests: server.count() });
  else write(`mia serve: stopped after ${server.count()} prediction requests.`);
  return 0;
}
