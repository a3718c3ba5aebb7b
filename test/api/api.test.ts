/** The library: events by callback and by iteration, an AbortSignal that stops a run, errors as typed values. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, check, MiaError, plan, run, scoreSignals, type RunEvent } from '../../src/index.js';
import { tempDir } from '../e2e/helpers.js';

const SMOKE = join(import.meta.dirname, '..', 'package', 'smoke.mia');

describe('the library API', () => {
  it('stops a run on its AbortSignal: a MiaError of kind aborted, the iteration ends, nothing written', async () => {
    const out = join(tempDir('mia-api-'), 'out');
    const stop = new AbortController();
    const seen: RunEvent[] = [];
    const r = run(SMOKE, {
      out,
      cache: null,
      jobs: 1,
      signal: stop.signal,
      onEvent: (e) => {
        seen.push(e);
        if (e.type === 'jobStarted') stop.abort();
      },
    });
    const iterated: string[] = [];
    const iteration = (async () => {
      for await (const e of r) iterated.push(e.type);
    })();
    await expect(r.done).rejects.toMatchObject({ kind: 'aborted' });
    await expect(iteration).rejects.toBeInstanceOf(MiaError);
    expect(iterated).toEqual(seen.map((e) => e.type));
    expect(iterated).toContain('jobStarted');
    expect(existsSync(join(out, 'results.json'))).toBe(false);
  }, 120_000);

  it('a refused spec is a MiaError with its diagnostics; check and plan take a text', async () => {
    const bad = { source: 'experiment x { seed 1 }\ndataset d = mnst\n', path: join(tempDir('mia-api-'), 'bad.mia') };
    const checked = check(bad);
    expect(checked.ok).toBe(false);
    expect(checked.diagnostics.map((d) => d.code)).toContain('E131');
    const e = await run(bad).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(MiaError);
    expect((e as MiaError).kind).toBe('spec');
    expect((e as MiaError).formatted()).toMatch(/bad\.mia:2:\d+: error\[E131\]/);
    const p = await plan(SMOKE, { cache: null, backend: 'cpu' });
    expect(p.plan.jobs.length).toBeGreaterThan(0);
    expect(p.json.jobs.length).toBe(p.plan.jobs.length);
    await expect(plan(join(tempDir('mia-api-'), 'none.mia'))).rejects.toMatchObject({ kind: 'input' });
  });

  it('scores signals and audits scores; a wrong signals field is a MiaError naming it', () => {
    const dir = tempDir('mia-api-');
    const file = join(dir, 's.json');
    const member = [1, 1, 1, 0, 0, 0];
    writeFileSync(file, JSON.stringify({ member, target: { loss: [0.1, 0.2, 0.05, 0.9, 1.2, 0.15] } }));
    const r = scoreSignals(file, { attacks: ['threshold'] });
    expect(r.runs[0]!.attacks.map((a) => a.name)).toEqual(['loss', 'confidence']);
    expect(r.runs[0]!.attacks[0]!.metrics.auc).toBeCloseTo(8 / 9);
    writeFileSync(file, JSON.stringify({ member, target: { loss: [0.1], logit: 2 } }));
    expect(() => scoreSignals(file)).toThrow(
      /s\.json: target\.logit is not a field mia knows \(the fields are logits, loss\)/,
    );
    writeFileSync(file, JSON.stringify({ member: 7, target: {} }));
    expect(() => scoreSignals(file)).toThrow(/: member must be a string or an object \(it is a number\)/);
    const eps = audit({ in: [3, 4, 5, 6], out: [0, 1, 2, 0.5] }, { methods: ['clopper_pearson'] });
    expect(eps.map((x) => x.method)).toEqual(['clopper_pearson']);
    expect(() => audit({ in: [], out: [1] })).toThrow(MiaError);
  });
});
