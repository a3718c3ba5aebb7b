/**
 * A CSV file's bytes → text: UTF-8 (a byte-order mark is dropped), UTF-16 with its byte-order mark
 * (little- or big-endian, decoded and noted), UTF-16 without one refused (NUL bytes in every other
 * place: "save it as UTF-8"), and lines ending in CR only (old Mac files) read as lines, noted.
 */
import { DataError } from './errors.js';

export interface CsvText {
  text: string;
  /** What was done to read it, for the run's notes. */
  notes: string[];
}

/** Big-endian UTF-16 → little-endian, so Buffer's 'utf16le' decodes it. */
const swapped = (b: Uint8Array): Buffer => {
  const out = Buffer.alloc(b.length & ~1);
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1]!;
    out[i + 1] = b[i]!;
  }
  return out;
};

/** Whether the first bytes look like UTF-16 without a byte-order mark: NULs in every other place. */
function looksUtf16(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) if (b[i] === 0) i % 2 ? odd++ : even++;
  return Math.max(even, odd) >= n / 4 && Math.min(even, odd) === 0;
}

function decode(input: Uint8Array, file: string, notes: string[]): string {
  if (input[0] === 0xff && input[1] === 0xfe) {
    notes.push('The file is UTF-16 (little-endian, with a byte-order mark); it was decoded as such.');
    return Buffer.from(input.buffer, input.byteOffset + 2, input.byteLength - 2).toString('utf16le');
  }
  if (input[0] === 0xfe && input[1] === 0xff) {
    notes.push('The file is UTF-16 (big-endian, with a byte-order mark); it was decoded as such.');
    return swapped(input.subarray(2)).toString('utf16le');
  }
  if (looksUtf16(input))
    throw new DataError(
      file,
      'The file looks like UTF-16 without a byte-order mark (every other byte is 0). Save it as UTF-8 (or UTF-16 with a byte-order mark).',
    );
  const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The text of a CSV file (bytes or text already decoded). */
export function csvText(input: string | Uint8Array, file: string): CsvText {
  const notes: string[] = [];
  let text = typeof input === 'string' ? input : decode(input, file, notes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.includes('\n') && text.includes('\r')) {
    text = text.replace(/\r/g, '\n');
    notes.push('The lines of the file end with CR only (old Mac style); they were read as lines.');
  }
  return { text, notes };
}
