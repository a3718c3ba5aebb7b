/**
 * Where a place in a `.mia` text is, read from the lexer's tokens before it (so it works on text that
 * does not parse, as text being typed rarely does): the declaration, the block, call or list it is in,
 * whether a setting's name or a value goes there, and which setting or family of kinds that value is.
 */
import type { IToken } from 'chevrotain';
import { miaLexer } from '../../lang/tokens.js';
import {
  BARE_TARGET_BLOCK,
  BLOCKS,
  type Family,
  type KindInfo,
  kindInfo,
  type SettingInfo,
  TARGET_KINDS,
} from './vocabulary.js';

export type Owner =
  | { kind: 'kind'; info: KindInfo | undefined; name: string; family: Family | null }
  | { kind: 'block'; block: string }
  | { kind: 'list'; family: Family | null }
  | { kind: 'other' };

interface Frame {
  open: string;
  owner: Owner;
  key: string | null;
  keyPos: boolean;
  arg: number;
  /** The last name written in value position, and whether a `.` came before it (a subset step). */
  callee: string | null;
  member: boolean;
}

export interface Place {
  /** The declaration keyword the place is in (null before any). */
  item: string | null;
  /** At the top level of the file, where a declaration starts. */
  top: boolean;
  owner: Owner | null;
  /** Where a setting's name goes (a block's entry, a call's argument). */
  keyPos: boolean;
  /** The setting whose value goes here. */
  setting: SettingInfo | undefined;
  /** The family of a kind written here (a declaration's value, a list's items), if any. */
  family: Family | null;
  /** Right after `NAME.`: the name (a dataset's subsets go here). */
  afterDot: string | null;
}

const ITEM_FAMILY: Record<string, Family> = { attack: 'attack', dataset: 'data', defense: 'defense' };
const ITEM_BLOCK: Record<string, string> = {
  experiment: 'experiment',
  model: 'model',
  shadows: 'shadows',
  report: 'report',
  target: BARE_TARGET_BLOCK,
};
/** Blocks that open under a setting of another block: `train { ... }` in a model. */
const SUB_BLOCK: Record<string, string> = {
  'model.train': 'train',
  'train.early_stopping': 'early_stopping',
  'report.audit': 'audit',
};

/** The lexer's tokens of `text` (comments and whitespace left out). */
export function lex(text: string): IToken[] {
  return miaLexer.tokenize(text).tokens;
}

const name = (t: IToken | undefined): boolean => t !== undefined && /^[A-Za-z_]/.test(t.image);

export function settingsOf(owner: Owner | null): readonly SettingInfo[] {
  if (!owner) return [];
  if (owner.kind === 'kind') return owner.info?.settings ?? [];
  if (owner.kind === 'block') return BLOCKS[owner.block] ?? [];
  return [];
}

const settingOf = (owner: Owner | null, key: string | null): SettingInfo | undefined =>
  key === null ? undefined : settingsOf(owner).find((s) => s.name === key);

/** The owner of what an opener starts, from the frame it opens in. */
function ownerOf(
  open: string,
  f: Frame | null,
  item: string | null,
  closed: Owner | null,
  prev: IToken | undefined,
): Owner {
  if (open === '{' && prev?.image === ')' && closed) return closed;
  if (!f) {
    if (open !== '[' && item && ITEM_BLOCK[item] && !f) {
      const callee = prev && name(prev) ? prev.image : null;
      if (item === 'target' && callee && TARGET_KINDS.includes(callee))
        return { kind: 'block', block: `target.${callee}` };
      if (item !== 'target' || prev?.image !== '=') return { kind: 'block', block: ITEM_BLOCK[item]! };
    }
    const fam = item ? (ITEM_FAMILY[item] ?? null) : null;
    if (fam && prev && name(prev))
      return { kind: 'kind', info: kindInfo(fam, prev.image), name: prev.image, family: fam };
    return { kind: 'other' };
  }
  const setting = f.owner.kind === 'list' ? undefined : settingOf(f.owner, f.key);
  if (open === '[') return { kind: 'list', family: setting?.items ?? null };
  if (f.callee === null && f.key !== null && f.owner.kind === 'block') {
    const sub = SUB_BLOCK[`${f.owner.block}.${f.key}`];
    if (sub) return { kind: 'block', block: sub };
  }
  if (f.callee !== null && !f.member) {
    const fam = f.owner.kind === 'list' ? f.owner.family : (setting?.items ?? null);
    return { kind: 'kind', info: kindInfo(fam, f.callee), name: f.callee, family: fam };
  }
  return { kind: 'other' };
}

/** Whether a token on a new line starts a new entry of a block (entries may be separated by newlines). */
const newEntry = (t: IToken, prev: IToken | undefined): boolean =>
  prev !== undefined &&
  (t.startLine ?? 0) > (prev.endLine ?? 0) &&
  name(t) &&
  !/^[:.=@<>([{,;]$/.test(prev.image) &&
  !['<=', '>='].includes(prev.image);

/** The place before `tokens[at]` (or after all of them). */
export function placeBefore(tokens: readonly IToken[], at: number): Place {
  const stack: Frame[] = [];
  let item: string | null = null;
  let closed: Owner | null = null;
  for (let i = 0; i < at && i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const f = stack.at(-1) ?? null;
    const img = t.image;
    if (!f && t.tokenType.name !== 'Identifier' && t.tokenType.LABEL?.startsWith("'") && name(t) && img !== 'in') {
      item = img;
      continue;
    }
    if (img === '{' || img === '(' || img === '[') {
      stack.push({
        open: img,
        owner: ownerOf(img, f, item, closed, prev),
        key: null,
        keyPos: img !== '[',
        arg: 0,
        callee: null,
        member: false,
      });
      closed = null;
      continue;
    }
    if (img === '}' || img === ')' || img === ']') {
      closed = stack.pop()?.owner ?? null;
      if (f && f.open !== '(') f.callee = null;
      continue;
    }
    if (!f) continue;
    if (img === ',' || img === ';') {
      f.keyPos = f.open !== '[';
      f.key = null;
      f.callee = null;
      f.arg++;
      continue;
    }
    if (f.open === '{' && f.key !== null && newEntry(t, prev)) {
      f.keyPos = true;
      f.key = null;
      f.callee = null;
    }
    if (!name(t)) continue;
    const next = tokens[i + 1];
    if (f.keyPos && (f.open === '{' || next?.image === ':')) {
      f.key = img;
      f.keyPos = false;
      continue;
    }
    f.keyPos = false;
    f.callee = img;
    f.member = prev?.image === '.';
  }
  const dot = tokens[at - 1]?.image === '.' ? tokens[at - 2] : undefined;
  return placeOf(stack, item, tokens[at - 1], dot && name(dot) ? dot.image : null);
}

function placeOf(stack: Frame[], item: string | null, prev: IToken | undefined, afterDot: string | null): Place {
  const f = stack.at(-1) ?? null;
  if (!f) {
    const fam = item && prev?.image === '=' ? (ITEM_FAMILY[item] ?? null) : null;
    return {
      item,
      top: !(item && prev?.image === '='),
      owner: null,
      keyPos: false,
      setting: undefined,
      family: fam,
      afterDot,
    };
  }
  let setting: SettingInfo | undefined;
  if (f.owner.kind !== 'list') {
    const key = f.key ?? (f.open === '(' && f.owner.kind === 'kind' ? (f.owner.info?.positional[f.arg] ?? null) : null);
    setting = settingOf(f.owner, key);
  }
  const family = f.owner.kind === 'list' ? f.owner.family : (setting?.items ?? null);
  return { item, top: false, owner: f.owner, keyPos: f.keyPos, setting, family, afterDot };
}

/** The place at `offset` in `text`, and the token there (the word being typed or hovered), if any. */
export function placeAt(
  text: string,
  offset: number,
): { place: Place; token: IToken | undefined; tokens: IToken[]; index: number } {
  const tokens = lex(text);
  let index = tokens.findIndex((t) => (t.endOffset ?? t.startOffset) + 1 >= offset);
  if (index < 0) index = tokens.length;
  const here = tokens[index];
  const token = here && here.startOffset <= offset && name(here) ? here : undefined;
  const at = token ? index : here && here.startOffset < offset ? index + 1 : index;
  return { place: placeBefore(tokens, at), token, tokens, index: token ? index : at };
}
