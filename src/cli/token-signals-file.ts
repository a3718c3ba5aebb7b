/**
 * Token signals of a language model for `mia attack --signals FILE` (README, "Token signals of language
 * models"): a JSON object with "format": "tokens", "member" per sequence, and per sequence lists of
 * per-token numbers. Everything wrong is a UserError naming the field, the sequence and what to do.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { TokenSignals } from '../attacks/token-scores.js';
import { readUserFile, UserFileError } from '../util/user-file.js';
import { UserError } from './errors.js';

/** The largest token file read (JSON of this size parses within mia's memory bound). */
export const TOKEN_FILE_LIMIT = 256 * 1024 ** 2;
const FIELDS = ['format', 'member', 'logprobs', 'mean', 'variance', 'reference', 'zlib'];

/** The file's object when it declares "format": "tokens"; null for any other signals file. */
export function readTokenSignalsIfAny(file: string): TokenSignals | null {
  if (!/"format"\s*:\s*"tokens"/.test(head(file))) return null; // the usual signals reader takes it
  let buf: Buffer;
  try {
    buf = readUserFile(file, { what: 'token signals file', limit: TOKEN_FILE_LIMIT });
  } catch (e) {
    if (e instanceof UserFileError) throw new UserError(`${e.message} (split the sequences into several files)`);
    throw e;
  }
  let o: unknown;
  try {
    o = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o) || (o as { format?: unknown }).format !== 'tokens')
    return null;
  return tokenSignals(o as Record<string, unknown>, file);
}

/** The file's first 4 KiB, where a token file says "format": "tokens" (first, as the README writes it). */
function head(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4096);
    return b.subarray(0, readSync(fd, b, 0, b.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function tokenSignals(o: Record<string, unknown>, file: string): TokenSignals {
  for (const k of Object.keys(o))
    if (!FIELDS.includes(k))
      throw new UserError(`Unknown field "${k}" in ${file}; the fields are ${FIELDS.join(', ')}.`);
  const member = memberOf(o.member);
  const n = member.length;
  const logprobs = perToken(o.logprobs, 'logprobs', n, null);
  const lengths = logprobs.map((s) => s.length);
  logprobs.forEach((s, i) => {
    const bad = s.findIndex((v) => v > 1e-6);
    if (bad >= 0)
      throw new UserError(`"logprobs" of sequence ${i} holds ${s[bad]} at token ${bad}; a log-probability is ≤ 0.`);
  });
  const out: TokenSignals = { member, logprobs };
  if ((o.mean === undefined) !== (o.variance === undefined))
    throw new UserError('Give "mean" and "variance" together (Min-K%++ needs both), or neither.');
  if (o.mean !== undefined) out.mean = perToken(o.mean, 'mean', n, lengths);
  if (o.variance !== undefined) {
    out.variance = perToken(o.variance, 'variance', n, lengths);
    out.variance.forEach((s, i) => {
      if (s.some((v) => v < 0)) throw new UserError(`"variance" of sequence ${i} holds a negative variance.`);
    });
  }
  if (o.reference !== undefined) out.reference = perToken(o.reference, 'reference', n, lengths);
  if (o.zlib !== undefined) out.zlib = zlibOf(o.zlib, n);
  return out;
}

function memberOf(v: unknown): Int8Array {
  if (!Array.isArray(v) || v.some((m) => m !== 0 && m !== 1))
    throw new UserError('The token signals need "member": a list of 1 (member) or 0 (non-member) per sequence.');
  if (!v.includes(1) || !v.includes(0))
    throw new UserError('The token signals need at least one member (1) and one non-member (0).');
  return Int8Array.from(v as number[]);
}

/** A list of n lists of finite numbers (of the given lengths, or at least one each). */
function perToken(v: unknown, field: string, n: number, lengths: number[] | null): Float64Array[] {
  if (!Array.isArray(v) || v.length !== n)
    throw new UserError(
      `"${field}" must be a list of ${n} lists (one per sequence, as "member"), one number per token.`,
    );
  return v.map((s: unknown, i) => {
    const want = lengths?.[i];
    if (!Array.isArray(s) || s.length === 0 || (want !== undefined && s.length !== want))
      throw new UserError(
        `"${field}" of sequence ${i} must be a list of ${want ?? 'one or more'} numbers${want === undefined ? '' : ' (as many as its "logprobs")'}.`,
      );
    const bad = s.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0)
      throw new UserError(
        `"${field}" of sequence ${i} holds ${JSON.stringify(s[bad])} at token ${bad}, not a finite number.`,
      );
    return Float64Array.from(s as number[]);
  });
}

function zlibOf(v: unknown, n: number): Float64Array {
  if (!Array.isArray(v) || v.length !== n || v.some((x) => !Number.isInteger(x) || (x as number) < 1))
    throw new UserError(
      `"zlib" must be a list of ${n} compressed sizes in bytes (whole numbers ≥ 1), one per sequence.`,
    );
  return Float64Array.from(v as number[]);
}
