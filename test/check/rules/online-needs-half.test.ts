import { describe, expect, it } from 'vitest';
import { BASE, errorsOf } from '../helpers.js';

describe('rule online-needs-half (E310)', () => {
  it('reports online LiRA on shadows not sampled half, at the mode', () => {
    const src = `${BASE}attack l = lira { shadows: refs, mode: online, fixed_variance: true }\n`;
    const [d] = errorsOf(src, 'E310');
    expect(d!.message).toBe(
      'The online LiRA attack "l" needs shadows sampled half, but shadows "refs" are sampled overlapping.',
    );
    expect(d!.range.start).toMatchObject({ line: 10, column: 40 });
  });

  it('accepts online LiRA on half-sampled shadows, and offline LiRA on any', () => {
    const half = BASE.replace('size 100', 'sampling half');
    expect(errorsOf(`${half}attack l = lira { shadows: refs, mode: online, fixed_variance: true }\n`, 'E310')).toEqual(
      [],
    );
    expect(errorsOf(`${BASE}attack l = lira { shadows: refs, mode: offline }\n`, 'E310')).toEqual([]);
  });
});
