/** Secrets in urls masked for messages (`***`) and code frames (one `*` per character, carets unmoved). */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasUserinfo, redactUrl, redactUrlsIn } from '../../src/lang/index.js';

describe('url secrets', () => {
  it.each([
    ['https://user:pa55@host:8/p?q=1', 'https://***@host:8/p?q=1'],
    ['https://tok3n@host/p', 'https://***@host/p'],
    ['http://host/p?api_key=k3y&model=m&access_token=t0k', 'http://host/p?api_key=***&model=m&access_token=***'],
    ['https://host/p', 'https://host/p'],
    ['not a url user:pw@x', 'not a url user:pw@x'],
    ['ftp//a:b@c', 'ftp//a:b@c'],
  ])('redactUrl(%s) is %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('finds user-info in free text, and masks it keeping every column', () => {
    expect(hasUserinfo('https://a:b@h/')).toBe(true);
    expect(hasUserinfo('https://h/a@b')).toBe(false);
    const line = 'url: "https://admin:hunter2@h/p", bogus: 1';
    expect(redactUrlsIn(line)).toBe('url: "https://*************@h/p", bogus: 1');
    expect(redactUrlsIn(line).length).toBe(line.length);
  });

  it('a code frame shows the line masked, its caret where it was', () => {
    const source = 'target t = remote { url: "https://admin:hunter2@h/p", bogus: 1 }';
    const col = source.indexOf('bogus') + 1;
    const text = formatDiagnostic(
      {
        code: 'E101',
        severity: 'error',
        message: 'Unknown setting "bogus".',
        file: 's.mia',
        range: { start: { offset: col - 1, line: 1, column: col }, end: { offset: col + 4, line: 1, column: col + 5 } },
      },
      source,
    );
    expect(text).not.toContain('hunter2');
    const [, , shown, caret] = text.split('\n');
    expect(shown!.indexOf('bogus')).toBe(caret!.indexOf('^'));
  });
});

describe('plan diffs', () => {
  it('show a changed url with its secret query values masked', async () => {
    const { specChanges } = await import('../../src/plan/index.js');
    const changes = specChanges({ url: 'https://h/p?api_key=old' }, { url: 'https://h/p?api_key=new' });
    expect(changes).toEqual(['url: "https://h/p?api_key=***" → "https://h/p?api_key=***"']);
  });
});
