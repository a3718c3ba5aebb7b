/**
 * A user's program of the library, compiled with `tsc --strict` against the installed package's declarations
 * (test/package/pack.test.ts; .ci/run on Node 22 and 24): runs a spec, follows its events, reads the AUC, and
 * shows a refused spec as a typed error. Prints one JSON line.
 * Usage: node api-smoke.js SPEC OUT
 */
import { check, MiaError, run, type RunEvent, type RunOutcome } from 'mia';

async function main(spec: string, out: string): Promise<void> {
  const started = run(spec, { out, cache: null, jobs: 1 });
  const types = new Set<RunEvent['type']>();
  let finishedJobs = 0;
  for await (const e of started) {
    types.add(e.type);
    if (e.type === 'jobFinished') finishedJobs++;
  }
  const outcome: RunOutcome = await started;
  const auc: number = outcome.results.runs[0]!.attacks[0]!.metrics.auc;
  const refused = check({ source: 'experiment x { seed 1 }\nattack a = threshold { signal: los }\n', path: 'bad.mia' });
  let kind: string | null = null;
  try {
    await run({ source: 'dataset d = mnist\n', path: 'lib.mia' });
  } catch (e) {
    if (e instanceof MiaError) kind = `${e.kind}:${e.diagnostics.length}`;
  }
  const line = {
    auc,
    events: [...types].sort(),
    finishedJobs,
    resultsPath: outcome.resultsPath,
    refusedOk: refused.ok,
    refusedCodes: refused.diagnostics.map((d) => d.code),
    error: kind,
  };
  console.log(JSON.stringify(line));
}

const [spec, out] = process.argv.slice(2);
if (!spec || !out) throw new Error('usage: node api-smoke.js SPEC OUT');
await main(spec, out);
