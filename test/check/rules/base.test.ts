import { describe, expect, it } from 'vitest';
import { BASE, check } from '../helpers.js';

describe('the base experiment of the rule tests', () => {
  it('checks with no diagnostics', () => {
    expect(check(BASE)).toEqual([]);
  });
});
