/**
 * Hover, completion and formatting of one `.mia` text: pure functions of the text, a place in it and
 * the names it declares (its imports' included), in the types of the language server protocol.
 */
import {
  type CompletionItem,
  CompletionItemKind,
  type Hover,
  MarkupKind,
  type TextEdit,
} from 'vscode-languageserver/node.js';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hasErrors, parse, print } from '../../lang/index.js';
import { type Owner, type Place, placeAt, settingsOf } from './place.js';
import {
  allKinds,
  DECLARATIONS,
  FAMILY_TITLE,
  type Family,
  type KindInfo,
  kindInfo,
  kindsOf,
  METRIC_DOCS,
  METRICS,
  type SettingInfo,
  SUBSETS,
  TARGET_KINDS,
  TARGET_METRICS,
} from './vocabulary.js';

/** A declared name: what declares it (dataset, model, ...), where, and its declaration's first line. */
export interface Declared {
  name: string;
  kind: string;
  uri: string;
  /** Offsets of the name in its file, and the declaration's text (clipped). */
  start: number;
  end: number;
  line: string;
}

function kindMarkdown(k: KindInfo): string {
  const args = k.positional.length ? `(${k.positional.join(', ')})` : '';
  const head = `**${k.kind}**${args} — ${FAMILY_TITLE[k.family]}\n\n${k.summary}`;
  if (!k.settings.length) return head;
  const rows = k.settings.map((s) => `- \`${s.name}\`: ${s.type}; default ${s.default}. ${s.doc}`);
  return `${head}\n\n${rows.join('\n')}`;
}

const settingMarkdown = (s: SettingInfo, owner: string): string =>
  `**${s.name}** — setting of ${owner}\n\n${s.doc}\n\n- type: ${s.type}\n- default: ${s.default}`;

const ownerName = (o: Owner | null): string =>
  !o ? 'the file' : o.kind === 'kind' ? o.name : o.kind === 'block' ? o.block.replace('.', ' ') : 'this block';

/** What a hover on the word at `offset` shows: a kind, a setting, a declared name or a metric. */
export function hover(doc: TextDocument, offset: number, declared: readonly Declared[]): Hover | null {
  const text = doc.getText();
  const { place, token, tokens, index } = placeAt(text, offset);
  if (!token) return null;
  const word = token.image;
  const next = tokens[index + 1]?.image;
  const md = hoverText(word, next, place, declared);
  if (!md) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: md },
    range: {
      start: doc.positionAt(token.startOffset),
      end: doc.positionAt((token.endOffset ?? token.startOffset) + 1),
    },
  };
}

function hoverText(word: string, next: string | undefined, place: Place, declared: readonly Declared[]): string | null {
  if (place.keyPos || next === ':') {
    const s = settingsOf(place.owner).find((x) => x.name === word);
    if (s) return settingMarkdown(s, ownerName(place.owner));
  }
  if (place.afterDot === null) {
    const k = kindInfo(place.family, word) ?? (place.family === null ? undefined : kindInfo(null, word));
    const d = declared.find((x) => x.name === word);
    if (k && (next === '(' || next === '{' || place.family !== null || !d)) return kindMarkdown(k);
    if (d) return `**${d.name}** — ${d.kind}\n\n\`\`\`mia\n${d.line}\n\`\`\``;
  }
  if (place.family === 'metric' || METRIC_DOCS[word])
    return METRIC_DOCS[word] ? `**${word}** — metric\n\n${METRIC_DOCS[word]}` : null;
  return null;
}

const item = (label: string, kind: CompletionItemKind, detail: string, doc?: string): CompletionItem => ({
  label,
  kind,
  detail,
  ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
});

const kindItems = (ks: readonly KindInfo[]): CompletionItem[] =>
  ks.map((k) => item(k.kind, CompletionItemKind.Class, FAMILY_TITLE[k.family], kindMarkdown(k)));

const nameItems = (declared: readonly Declared[], kind?: string): CompletionItem[] =>
  declared
    .filter((d) => kind === undefined || d.kind === kind)
    .map((d) => item(d.name, CompletionItemKind.Variable, d.kind, `\`${d.line}\``));

/** What may be written at `offset`: settings, kinds, declared names, metrics or declaration keywords. */
export function complete(doc: TextDocument, offset: number, declared: readonly Declared[]): CompletionItem[] {
  const { place } = placeAt(doc.getText(), offset);
  if (place.afterDot !== null) return afterDot(place.afterDot, declared);
  if (place.top) return DECLARATIONS.map((w) => item(w, CompletionItemKind.Keyword, 'declaration'));
  if (place.keyPos) {
    const settings = settingsOf(place.owner).map((s) =>
      item(s.name, CompletionItemKind.Property, s.type, settingMarkdown(s, ownerName(place.owner))),
    );
    if (settings.length) return settings;
  }
  return valueItems(place, declared);
}

function valueItems(place: Place, declared: readonly Declared[]): CompletionItem[] {
  const s = place.setting;
  if (s?.options) return s.options.map((o) => item(o, CompletionItemKind.EnumMember, s.name));
  if (s?.names) return nameItems(declared, s.names);
  if (place.family) return familyItems(place.family, declared);
  if (s?.name === 'model') return nameItems(declared, 'model');
  if (place.item === 'target' && !place.owner)
    return TARGET_KINDS.map((k) => item(k, CompletionItemKind.Class, 'target'));
  return [...nameItems(declared), ...kindItems(allKinds())];
}

function familyItems(family: Family, declared: readonly Declared[]): CompletionItem[] {
  if (family === 'metric')
    return METRICS.map((m) => item(m === 'tpr' ? 'tpr@1%' : m, CompletionItemKind.Value, 'metric', METRIC_DOCS[m]));
  const kinds = kindItems(kindsOf(family));
  return family === 'defense' ? [...nameItems(declared, 'defense'), ...kinds] : kinds;
}

/** After `NAME.`: a dataset's subsets, an attack's metrics (`loss.auc`), a target's (`victim.test_accuracy`). */
function afterDot(name: string, declared: readonly Declared[]): CompletionItem[] {
  const d = declared.find((x) => x.name === name);
  if (d?.kind === 'dataset') return SUBSETS.map((s) => item(s, CompletionItemKind.Method, 'subset'));
  if (d?.kind === 'attack')
    return METRICS.map((m) => item(m === 'tpr' ? 'tpr@1%' : m, CompletionItemKind.Value, 'metric', METRIC_DOCS[m]));
  if (d?.kind === 'target') return TARGET_METRICS.map((m) => item(m, CompletionItemKind.Value, 'target metric'));
  return [];
}

/** The whole text in `mia fmt`'s layout, as one edit; none when it has syntax errors or is formatted. */
export function format(doc: TextDocument): TextEdit[] {
  const text = doc.getText();
  const parsed = parse(text, doc.uri);
  if (hasErrors(parsed.diagnostics)) return [];
  const out = print(parsed.value);
  if (out === text) return [];
  return [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: out }];
}
