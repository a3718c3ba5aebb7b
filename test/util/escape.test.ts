import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  html,
  joinHtml,
  raw,
  scriptJson,
  TERMINAL_UNSAFE,
  visible,
  visibleDeep,
} from '../../src/util/escape.js';

/** Every character a terminal acts on: C0 but \n, DEL, C1, the bidi marks, embeddings, overrides and isolates. */
const UNSAFE = [
  ...Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 10),
  ...Array.from({ length: 33 }, (_, i) => 0x7f + i),
  0x61c,
  0x200e,
  0x200f,
  ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069],
].map((c) => String.fromCharCode(c));
const anyUnsafe = new RegExp(TERMINAL_UNSAFE.source);

describe('html: the tagged template of the report', () => {
  it('escapes every interpolation whatever its type; Html (from html or raw) goes in as it is', () => {
    const hostile = '"><img src=x onerror=alert(1)>\'&';
    const asNumber = hostile as unknown as number; // a "number" read from an untrusted results.json
    const out = html`<td title="${hostile}">${asNumber}${[hostile, html`<b>${hostile}</b>`]}${{ toString: () => '<i>' }}</td>`;
    expect(out.text).toBe(
      '<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;' +
        '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;<b>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;</b>&lt;i&gt;</td>',
    );
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0');
    expect(html`${raw('<svg/>')}`.text).toBe('<svg/>');
    expect(joinHtml(['<a>', html`<b></b>`], '<br>').text).toBe('&lt;a&gt;&lt;br&gt;<b></b>');
  });

  it('shows the characters that reorder or hide text as their escapes; joiners, Arabic and Hebrew letters stay', () => {
    const hostile = 'a\u202eb\u2066c\u200bd\ufeffe\u200ff\u061cg';
    expect(html`<td>${hostile}</td>`.text).toBe('<td>a\\u202eb\\u2066c\\u200bd\\ufeffe\\u200ff\\u061cg</td>');
    expect(escapeHtml('\u0639\u0631\u0628\u064a \u05e2\u05d1 \u0646\u200c\u0645 \u{1f469}\u200d\u{1f4bb}')).toBe(
      '\u0639\u0631\u0628\u064a \u05e2\u05d1 \u0646\u200c\u0645 \u{1f469}\u200d\u{1f4bb}',
    );
  });

  it('puts no < > & " or \' of any text into the markup unescaped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const t = html`<p title="${s}">${s}</p>`.text.slice('<p title="'.length, -'</p>'.length);
        expect(t.replace('">', '')).not.toMatch(/[<>"']|&(?!(amp|lt|gt|quot|#39);)/);
        expect(escapeHtml(s).replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/[<>"'&]/);
      }),
    );
  });

  it('scriptJson: JSON that no </script>, <!-- or line separator can break out of, reading back the same', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.constantFrom('</script>', '<!--', '<script>', '\u2028\u2029', ']]>'),
          ),
        ),
        (xs) => {
          const t = scriptJson({ xs }).text;
          expect(t).not.toMatch(/<|>|&|\u2028|\u2029/);
          expect(JSON.parse(t)).toEqual({ xs });
        },
      ),
    );
  });
});

describe('visible: text for a terminal', () => {
  it('writes every control and bidi character as its escape, keeps newlines and everything else', () => {
    for (const c of UNSAFE) {
      const shown = visible(`a${c}b`);
      expect(shown).not.toMatch(anyUnsafe);
      expect(shown).toMatch(/^a\\(u[0-9a-f]{4}|t|r)b$/);
    }
    expect(visible('\x1b[2J\x1b[HYOUR MODEL IS SAFE')).toBe('\\u001b[2J\\u001b[HYOUR MODEL IS SAFE');
    expect(visible('\u009b31m\u202eevil\u2066')).toBe('\\u009b31m\\u202eevil\\u2066');
    expect(visible('line 1\nline 2 ε̂ 日本 ✓')).toBe('line 1\nline 2 ε̂ 日本 ✓');
  });

  it('leaves no unsafe character in any string, changes nothing else, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(fc.constantFrom(...UNSAFE), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
        }),
        (s) => {
          const v = visible(s);
          expect(v).not.toMatch(anyUnsafe);
          expect(visible(v)).toBe(v);
          const chars = [...s];
          expect(chars.map(visible).join('')).toBe(v); // character by character
          for (const c of chars) if (!UNSAFE.includes(c)) expect(visible(c)).toBe(c);
        },
      ),
    );
  });

  it('visibleDeep escapes the strings and keys of an event, keeps numbers and typed arrays, and no __proto__ key becomes a prototype', () => {
    const e = JSON.parse(
      '{"type":"jobFailed","error":"\\u001b[2Jx","n":1,"list":["\\u202e"],"__proto__":{"polluted":1}}',
    );
    const f = visibleDeep({ ...e, scores: new Float64Array([1]), nested: { '\x1b': null } });
    expect(f.error).toBe('\\u001b[2Jx');
    expect(f.list).toEqual(['\\u202e']);
    expect(f.n).toBe(1);
    expect(f.scores).toBeInstanceOf(Float64Array);
    expect(Object.keys(f.nested)).toEqual(['\\u001b']);
    expect((f as { polluted?: number }).polluted).toBeUndefined();
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});
