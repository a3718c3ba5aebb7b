/**
 * Markup in every string of a real results.json (values and keys: names, kinds, settings, methods, notes,
 * the expectation text, …) never becomes markup of report.html or the compare page: the page has exactly
 * the elements and attributes the clean file's page has. Each distinct string is replaced everywhere it
 * occurs (with its own payload and a suffix keeping distinct strings distinct), so the page's structure
 * is the clean page's and any extra or missing tag or attribute is an injection.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareHtml, type ResultsJson, reportHtml } from '../../src/report/index.js';
import { resultsProblem } from '../../src/report/results-schema.js';
import { tempDir } from '../e2e/helpers.js';
import { CHROMIUM } from './browser.js';
import { fixture, nodes } from './results-json.js';

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  "'><iframe srcdoc='<script>parent.__pwned=1</script>'>",
  '</script><script>window.__pwned=1</script>',
  '</title><script>window.__pwned=1</script>',
  '</style><script>window.__pwned=1</script>',
  '<!--',
  '-->',
  ']]><x>',
  '" onmouseover="window.__pwned=1" x="',
  "' onfocus='window.__pwned=1' autofocus '",
  '&lt;script&gt;',
  '\x1b[2J\x00\x07\u009b\u202e\u2028\u2029\\"\\\\',
  '<a href="javascript:window.__pwned=1">x</a>',
];
const payload = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc
    .array(
      fc.constantFrom(
        '<',
        '>',
        '"',
        "'",
        '&',
        '/',
        '=',
        ' ',
        'script',
        'img',
        'on',
        'x',
        '\\',
        '\n',
        '\u2028',
        '{',
        '}',
      ),
      {
        minLength: 1,
        maxLength: 12,
      },
    )
    .map((xs) => xs.join('')),
);

const clean = fixture() as unknown as ResultsJson;
/** Every distinct string of the file, values and keys. */
const strings = [
  ...new Set(
    [...nodes(clean)].flatMap((n) => [
      ...(typeof n.value === 'string' ? [n.value] : []),
      ...n.keys.filter((k): k is string => typeof k === 'string'),
    ]),
  ),
];
/** Keys of fixed-shape objects are the schema's, not data: only values and the keys of maps are the file's text. */
const MAP_PARENTS = new Set(['params', 'tprAtFpr', 'details']);
const mapKeys = new Set(
  [...nodes(clean)].flatMap((n) => (MAP_PARENTS.has(String(n.keys.at(-2))) ? [String(n.keys.at(-1))] : [])),
);
const values = new Set([...nodes(clean)].flatMap((n) => (typeof n.value === 'string' ? [n.value] : [])));
const hostileable = strings.filter((s) => values.has(s) || mapKeys.has(s));

/** The file with the strings of `pick` replaced by their payloads, wherever they occur as a value or a map key. */
function hostile(pick: Map<string, string>): ResultsJson {
  const f = (s: string): string => pick.get(s) ?? s;
  const walk = (v: unknown, parent: string): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, parent));
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [MAP_PARENTS.has(parent) ? f(k) : k, walk(x, k)]),
      );
    return v;
  };
  return walk(clean, '') as ResultsJson;
}

/** Start tags, each as its name and sorted attribute names: a tokenizer that, like a browser, honours quotes in tags only. */
function tags(page: string): string[] {
  const out: string[] = [];
  for (const m of page.matchAll(/<(!--[\s\S]*?--|![^>]*|\/?[a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    if (m[1]!.startsWith('!') || m[1]!.startsWith('/')) continue;
    const attrs = [...m[2]!.matchAll(/([^\s=/"']+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/g)].map((a) =>
      a[1]!.toLowerCase(),
    );
    out.push(`${m[1]!.toLowerCase()}[${attrs.sort().join(' ')}]`);
  }
  return out.sort();
}

const pages = async (r: ResultsJson): Promise<string[]> => [
  await reportHtml(r),
  await compareHtml(r, r, 'A <b>', 'B "x"'),
];

describe('report.html from a hostile results.json', () => {
  let cleanPages: string[] = [];
  let cleanTags: string[][] = [];
  beforeAll(async () => {
    cleanPages = await pages(clean);
    cleanTags = cleanPages.map(tags);
  });

  it('has the elements and attributes of the clean page, whatever markup is in its strings', async () => {
    expect(hostileable.length).toBeGreaterThan(20);
    const pickArb = fc
      .tuple(...hostileable.map(() => fc.option(payload, { nil: undefined })))
      .map((ps) => new Map(hostileable.flatMap((s, i) => (ps[i] === undefined ? [] : [[s, `${ps[i]}${i}`] as const]))));
    await fc.assert(
      fc.asyncProperty(pickArb, async (pick) => {
        const r = hostile(pick);
        expect(resultsProblem(r)).toBeNull(); // strings where strings belong: accepted
        const [report, compare] = await pages(r);
        expect(tags(report!)).toEqual(cleanTags[0]);
        expect(tags(compare!)).toEqual(cleanTags[1]);
        // mia's own <img class="record"> pictures and <a download> links aside, no such element
        expect(report).not.toMatch(/<(script|iframe|svg onload|x>)|<img(?! class="record" alt=)|<a (?!download=)/i);
      }),
      {
        numRuns: 4,
        examples: [
          [new Map(hostileable.map((s, i) => [s, `${PAYLOADS[i % PAYLOADS.length]}${i}`]))],
          // an attack name that once broke the several-targets figure (its panels sorted by a list of names)
          ...['\u2028', "'", '"', '\\'].map((c) => [new Map([['loss', `${c}7`]])] as [Map<string, string>]),
        ],
      },
    );
  }, 300_000);

  it('escapes the numbers of the issue given as markup, even unchecked (the library API renders without the schema)', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a results.json changed by hand, types broken on purpose
    const r = structuredClone(clean) as unknown as Record<string, any>;
    const m = (i: number) => `<script>window.__pwned=${i}</script><img src=x onerror=alert(${i})>`;
    r.seed = m(1);
    r.runs[0].target.epsilon = 1;
    r.runs[0].target.delta = m(2);
    r.runs[1].target.epsilon = 1;
    r.runs[1].target.delta = m(3);
    Object.assign(r.runs[0].audit, { delta: m(4), confidence: m(5), claimedEpsilon: m(6), failed: true });
    Object.assign(r.runs[0].audit.canaries, { in: m(7), out: m(8) });
    expect(resultsProblem(r)).not.toBeNull(); // mia report refuses it; rendered anyway here
    const page = await reportHtml(r as unknown as ResultsJson);
    expect(page).not.toMatch(/<script|<img/);
    for (let i = 1; i <= 8; i++) expect(page).toContain(`&lt;script&gt;window.__pwned=${i}&lt;/script&gt;`);
  }, 120_000);

  it('runs no script in a browser and shows the payloads as text', async () => {
    const pick = new Map(hostileable.map((s, i) => [s, `${PAYLOADS[i % PAYLOADS.length]}${i}`]));
    const dir = tempDir('mia-hostile-');
    const [report, compare] = await pages(hostile(pick));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const open = async (name: string, text: string) => {
        const file = join(dir, name);
        writeFileSync(file, text);
        const page = await browser.newPage();
        const dialogs: string[] = [];
        const errors: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        await page.mouse.move(300, 300);
        // a string, evaluated in the page (the tests compile without the DOM's types)
        const seen = (await page.evaluate(`(() => {
            const all = [...document.querySelectorAll('*')];
            return {
              pwned: window.__pwned,
              scripts: document.scripts.length,
              handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
              elements: all.map((e) => e.localName + '[' + [...e.attributes].map((a) => a.name).sort().join(' ') + ']').sort(),
              text: document.body.textContent,
            };
          })()`)) as { pwned?: number; scripts: number; handlers: string[]; elements: string[]; text: string };
        await page.close();
        return { ...seen, dialogs, errors };
      };
      for (const [name, text, cleanText] of [
        ['report.html', report!, cleanPages[0]!],
        ['compare.html', compare!, cleanPages[1]!],
      ] as const) {
        const seen = await open(name, text);
        const want = await open(`clean-${name}`, cleanText);
        expect(seen).toMatchObject({ pwned: undefined, scripts: 0, handlers: [], dialogs: [], errors: [] });
        expect(seen.elements).toEqual(want.elements);
        expect(seen.text).toContain('<script>window.__pwned=1</script>');
      }
    } finally {
      await browser.close();
    }
  }, 300_000);
});
