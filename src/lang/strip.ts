/** The AST without source ranges (and without recovery flags), for comparing trees. */
export function stripRanges(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripRanges);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'range' || k.endsWith('Range') || k === 'recovered') continue;
      out[k] = stripRanges(x);
    }
    return out;
  }
  return v;
}
