/** The JSON Schemas the package publishes (dist/schemas/, written by `npm run build`), from the zod definitions the code validates with. */
import { RESULTS_SCHEMA } from '../report/results-schema.js';
import { JSON_LINE } from '../ui/events-schema.js';
import { jsonSchemaOf } from '../util/schema.js';
import { INLINE_ARRAY, NESTED_NUMBERS, SIGNALS_FILE } from './signals-schema.js';

const BASE = 'urn:mia:schemas';

/** Each published schema by file name. */
export function schemas(): Record<string, object> {
  const signals = jsonSchemaOf(
    SIGNALS_FILE,
    {
      $id: `${BASE}/signals.schema.json`,
      title: 'mia signals file',
      description: 'The input of mia attack --signals FILE: arrays inline (nested lists) or paths of .npy files.',
    },
    new Map([[INLINE_ARRAY, { $ref: '#/$defs/nested' }]]),
  ) as Record<string, unknown>;
  return {
    'results.schema.json': jsonSchemaOf(RESULTS_SCHEMA, {
      $id: `${BASE}/results.schema.json`,
      title: 'mia results.json',
      description: 'What mia run and mia attack write; readers ignore fields they do not know.',
    }),
    'signals.schema.json': { ...signals, ...NESTED_NUMBERS },
    'events.schema.json': jsonSchemaOf(JSON_LINE, {
      $id: `${BASE}/events.schema.json`,
      title: 'mia run --json line',
      description: 'One line of mia run --json: an event of the run, the expectations, then resultsWritten.',
    }),
  };
}
