/** Small text helpers of the terminal views: bars, durations, rates, truncation to a width. */

/** A bar `width` cells wide, filled to `fraction` (clamped to 0..1), with eighth-cell resolution. */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  const partial = part > 0 ? '▏▎▍▌▋▊▉'[part - 1]! : '';
  return `${'█'.repeat(full)}${partial}${' '.repeat(Math.max(0, width - full - (partial ? 1 : 0)))}`;
}

/** 65_000 ms → "1:05"; an hour or more → "1:02:05". */
export function clock(ms: number): string {
  const t = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** 12345 → "12.3k". */
export function rate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** Cuts `s` to at most `width` characters, marking a cut with "…". */
export const fit = (s: string, width: number): string =>
  width <= 0 ? '' : s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;

/** The first line of an error message. */
export const firstLine = (s: string): string => s.split('\n')[0] ?? '';

/**
 * Breaks `s` into lines of at most `width` characters after its ", " separators, continuation lines
 * indented by two spaces; a part longer than a line is broken between its words (a word longer than a line
 * is cut with "…"). A line that fits is returned whole.
 */
export function wrap(s: string, width: number): string[] {
  if (s.length <= width) return [s];
  const parts = s.split(/(?<=, )/).flatMap((p) => (p.length > width - 2 ? p.split(/(?<= )/) : [p]));
  const lines: string[] = [];
  let line = '';
  for (const p of parts) {
    if (line && (line + p).trimEnd().length > width) {
      lines.push(line.trimEnd());
      line = `  ${p}`;
    } else line += p;
  }
  lines.push(line.trimEnd());
  return lines.map((l) => fit(l, width));
}

/** The jobs the cache spared, in one line: "161 jobs cached", "150 jobs cached, 11 not needed" ('' for none). */
export function cacheSummary(cached: number, skipped: number): string {
  if (cached + skipped === 0) return '';
  const head =
    cached > 0
      ? `${cached} job${cached === 1 ? '' : 's'} cached`
      : `${skipped} job${skipped === 1 ? '' : 's'} not needed`;
  return cached > 0 && skipped > 0 ? `${head}, ${skipped} not needed` : head;
}
