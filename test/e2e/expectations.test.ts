import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { miaAsync, tempDir } from './helpers.js';

/** One small MLP, a score-only attack swept over its signal (both points share the one trained model). */
const spec = (expectations: string): string => `experiment gate { seed 5 }
dataset digits = mnist
model small {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 32 }
}
target victim { model small, members digits.take(100), nonmembers digits.take(100) }
attack loss = threshold { signal: loss }
sweep { loss.signal in [loss, confidence] }
report { metrics [auc, tpr@1%] }
expect { ${expectations} }
`;

interface Verdict {
  expectation: string;
  holds: boolean;
  points: { params: Record<string, string>; value: number | null; holds: boolean }[];
}

describe('mia run as a privacy gate (end to end)', () => {
  it('exits 0 when every expectation holds and 3 when one fails, with verdicts in the table and results.json', async () => {
    const dir = tempDir();
    const cache = join(dir, 'cache');
    const holds = join(dir, 'holds.mia');
    writeFileSync(holds, spec('loss.auc < 0.99, loss.tpr@0.1%.ci.upper < 90%, victim.train_accuracy > 10%'));
    const ok = await miaAsync(['run', holds, '--out', join(dir, 'a'), '--cache', cache, '--jobs', '1']);
    expect(ok.stderr).not.toContain('warning');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('expectations: all 3 hold');
    expect(ok.stdout).toMatch(/pass {2}loss\.auc < 0\.99 {2}holds at all 2 points/);
    const a = JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8')) as { expectations: Verdict[] };
    expect(a.expectations.map((v) => [v.expectation, v.holds, v.points.length])).toEqual([
      ['loss.auc < 0.99', true, 2],
      ['loss.tpr@0.1%.ci.upper < 90%', true, 2],
      ['victim.train_accuracy > 10%', true, 2],
    ]);
    // tpr@0.1% was not in the report's metrics: the expectation asked for it, so it was computed
    expect(a.expectations[1]!.points.every((p) => typeof p.value === 'number')).toBe(true);

    const fails = join(dir, 'fails.mia');
    writeFileSync(fails, spec('loss.auc < 0.99\n  victim.test_accuracy >= 99.9%'));
    const bad = await miaAsync(['run', fails, '--out', join(dir, 'b'), '--cache', cache, '--jobs', '1']);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain('expectations: 1 of 2 failed');
    expect(bad.stdout).toMatch(
      /FAIL {2}victim\.test_accuracy >= 99\.9% {2}fails at loss\.signal = loss \([\d.]+%\); loss\.signal = confidence \([\d.]+%\)/,
    );
    const b = JSON.parse(readFileSync(join(dir, 'b', 'results.json'), 'utf8')) as { expectations: Verdict[] };
    const failed = b.expectations.find((v) => !v.holds)!;
    expect(failed.expectation).toBe('victim.test_accuracy >= 99.9%');
    expect(failed.points.map((p) => p.params['loss.signal'])).toEqual(['loss', 'confidence']);
    expect(failed.points.every((p) => p.value !== null && p.value < 0.999)).toBe(true);

    // --json: the verdicts as a JSON line just before the last one (where the results went), the same
    // exit code (everything from the cache now)
    const js = await miaAsync(['run', fails, '--out', join(dir, 'c'), '--cache', cache, '--jobs', '1', '--json']);
    expect(js.code).toBe(3);
    const lines = js.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; expectations?: Verdict[] });
    expect(lines.at(-1)!.type).toBe('resultsWritten');
    const verdicts = lines.at(-2)!;
    expect(verdicts.type).toBe('expectations');
    expect(verdicts.expectations).toEqual(b.expectations);
  }, 240_000);
});
