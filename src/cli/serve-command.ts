/** `mia serve MODEL`: the options, read and checked; the server is src/cli/serve/. */
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';
import { backendChoice, backendOption, cacheChoice, cacheOptions, numberOption, onePositional } from './options.js';

const int = (flag: string, v: string, lo: number, hi: number): number =>
  numberOption(flag, v, (x) => Number.isInteger(x) && x >= lo && x <= hi, `a whole number from ${lo} to ${hi}`);

export const serveCli = defineCommand({
  name: 'serve',
  summary: 'serve a model as a prediction API (TensorFlow Serving rows) with output defenses',
  usage: 'MODEL [options]',
  details: `MODEL: a .mia spec or a run's folder (the target's trained model is read from the cache; --target
names it when there are several), or a TensorFlow.js model.json. POST /predict takes {"instances": [...]}
and answers {"predictions": [...]}, what the defenses release; GET /health. Ctrl-C stops it.`,
  options: {
    target: { type: 'string', value: 'NAME', help: 'the target of a spec or run to serve (default: the only one)' },
    defense: {
      type: 'string',
      multiple: true,
      value: 'DEFENSE',
      help: 'an output defense as written in a spec, e.g. top_k(3), rounding(2); in order',
    },
    output: { type: 'string', default: 'probabilities', value: 'probabilities|logits', help: 'what is answered' },
    host: { type: 'string', default: '127.0.0.1', value: 'HOST', help: 'the address to listen on' },
    port: { type: 'string', default: '8501', value: 'N', help: 'the port (0: any free one)' },
    'max-batch': { type: 'string', default: '1000', value: 'N', help: 'the most instances a request may hold' },
    'max-body': { type: 'string', default: '64', value: 'MB', help: 'the largest request body, in MB' },
    rate: { type: 'string', default: '100', value: 'N', help: 'requests a second (429 past it; 0: no limit)' },
    timeout: { type: 'string', default: '60', value: 'S', help: 'seconds a request may take to arrive' },
    seed: { type: 'string', default: '0', value: 'N', help: "the seed of noise defenses' draws" },
    backend: { ...backendOption, help: 'as for run (a target is found by the hash it was trained with)' },
    ...cacheOptions,
    json: { type: 'boolean', default: false, help: 'log JSON lines on stdout' },
  },
  run: async ({ values: v, positionals }, io) => {
    // Fastify and the model sources load only when mia serve runs.
    const { serveCommand } = await import('./serve/index.js');
    if (v.output !== 'probabilities' && v.output !== 'logits')
      throw new UsageError(`--output ${v.output} is not valid: give probabilities or logits.`);
    return serveCommand(
      {
        model: onePositional(positionals, 'mia serve takes one MODEL: a .mia spec, a run folder or a model.json.'),
        ...(v.target !== undefined ? { target: v.target } : {}),
        cache: cacheChoice(v.cache, v['no-cache']),
        backend: backendChoice(v.backend),
        defenses: v.defense ?? [],
        output: v.output,
        host: v.host,
        port: int('port', v.port, 0, 65535),
        maxBatch: int('max-batch', v['max-batch'], 1, 1_000_000),
        maxBody: Math.round(
          numberOption('max-body', v['max-body'], (x) => x > 0 && x <= 1024, 'MB from 0 to 1024') * 2 ** 20,
        ),
        rate: numberOption('rate', v.rate, (x) => x >= 0 && x <= 1e6, 'a number from 0 to 1000000'),
        timeout: numberOption('timeout', v.timeout, (x) => x > 0 && x <= 3600, 'seconds from 0 to 3600'),
        seed: int('seed', v.seed, 0, 2 ** 32 - 1),
        json: v.json,
      },
      io.out,
      io.err,
    );
  },
});
