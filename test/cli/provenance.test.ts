import { describe, expect, it } from 'vitest';
import { defaultResultsDir, maskUrls, plain, redactArgv } from '../../src/api/provenance.js';
import { lineChanges, provenanceChanges, type Provenance, type ResultsJson } from '../../src/report/index.js';

describe('what results.json records of the command line', () => {
  it('masks the values of secret-looking options, in both forms, and credentials in URLs', () => {
    expect(
      redactArgv([
        'run',
        'x.mia',
        '--api-key',
        'sk-123',
        '--token=abc',
        '--out',
        'https://bob:hunter2@host/x?access_token=zz&n=1',
        '--jobs',
        '2',
      ]),
    ).toEqual([
      'run',
      'x.mia',
      '--api-key',
      '***',
      '--token=***',
      '--out',
      'https://***@host/x?access_token=***&n=1',
      '--jobs',
      '2',
    ]);
    expect(maskUrls('url: "http://u@h:8080/p?key=1&sig=2"')).toBe('url: "http://***@h:8080/p?key=***&sig=***"');
    expect(maskUrls('no url here: a@b')).toBe('no url here: a@b');
  });

  it('settings drop source places and mask URLs; the default folder is results/<spec name>/ beside the spec', () => {
    const def = {
      name: 't',
      url: 'https://u:p@api/x',
      range: { start: 1 },
      file: 'a.mia',
      nested: [{ keyRange: 1, k: 2 }],
    };
    expect(plain(def)).toEqual({ name: 't', url: 'https://***@api/x', nested: [{ k: 2 }] });
    expect(defaultResultsDir('experiments/quickstart.mia')).toBe('experiments/results/quickstart');
    expect(defaultResultsDir('a.MIA')).toBe('results/a');
  });
});

describe('mia compare: what changed', () => {
  const prov = (text: string, epochs: number, revision: string | null): Provenance => ({
    spec: { path: '../../x.mia', sha256: text, files: [{ path: 'x.mia', sha256: text, text }] },
    settings: { models: [{ name: 'm', train: { epochs } }], targets: [], shadows: [], attacks: [] },
    invocation: { argv: ['run', 'x.mia'], git: revision ? { revision, dirty: false } : null },
  });
  const results = (p: Provenance | undefined, mia = '0.1.0'): ResultsJson => ({
    experiment: 'x',
    seed: 1,
    backend: 'cpu',
    mia,
    runs: [],
    ...(p ? { provenance: p } : {}),
  });

  it('says the spec text, settings, version and revision that differ', () => {
    const a = results(prov('a\nb\nc', 1, 'aaaaaaaaaaaaaaaa'));
    const b = results(prov('a\nB\nc\nd', 2, 'bbbbbbbbbbbbbbbb'), '0.2.0');
    expect(provenanceChanges(a, b)).toEqual([
      'spec: x.mia, 2 lines added, 1 removed',
      'mia: 0.1.0 → 0.2.0',
      'setting models.m.train.epochs: 1 → 2',
      'git revision: aaaaaaaaaaaa → bbbbbbbbbbbb',
    ]);
    expect(provenanceChanges(a, a)).toEqual(['spec: the same text (x.mia)']);
  });

  it('says when a side records no provenance', () => {
    expect(provenanceChanges(results(undefined), results(prov('a', 1, null)))).toEqual([
      'A records no provenance (written by mia attack or an older mia): no spec to compare',
    ]);
  });

  it('counts lines by a longest common subsequence', () => {
    expect(lineChanges('a\nb\nc', 'a\nc')).toEqual({ added: 0, removed: 1 });
    expect(lineChanges('a\nb', 'b\na')).toEqual({ added: 1, removed: 1 });
  });
});
