/** Queue URLs: password and TLS from the URL, the password only in the connection's options. */
import { describe, expect, it } from 'vitest';
import { parseQueueUrl, QueueAddressError, scrub } from '../../src/run/queue/index.js';
import { initialState, reduceAll, workerRows } from '../../src/ui/run-state.js';

describe('queue URLs', () => {
  it('reads host, port, password, user, database and TLS; shows the URL with its user-info masked', () => {
    const a = parseQueueUrl('rediss://alice:p%40ss@redis.example:6380/2');
    expect(a.options).toMatchObject({ host: 'redis.example', port: 6380, username: 'alice', password: 'p@ss', db: 2 });
    expect(a.options.tls).toEqual({ servername: 'redis.example' });
    expect(a.shown).toBe('rediss://***@redis.example:6380/2');
    expect(a.secret).toBe('p@ss');
    const b = parseQueueUrl('redis://127.0.0.1');
    expect(b.options).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(b.shown).toBe('redis://127.0.0.1');
    expect(parseQueueUrl('redis://:only-pw@[::1]:7000').options).toMatchObject({
      host: '::1',
      port: 7000,
      password: 'only-pw',
    });
  });

  it('refuses what is not a Redis URL in a sentence that never quotes the password', () => {
    for (const bad of ['http://:pw123@host:1', 'redis:/:pw123@', 'not a url pw123', 'redis://:pw123@host/x'])
      expect(() => parseQueueUrl(bad)).toThrow(QueueAddressError);
    for (const bad of ['http://:pw123@host:1', 'redis://:pw123@host/x']) {
      try {
        parseQueueUrl(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain('pw123');
        expect((e as Error).message).toMatch(/^--queue /);
      }
    }
  });

  it('scrubs a password (plain or URL-encoded) out of any message', () => {
    expect(scrub('WRONGPASS p@ss and p%40ss', 'p@ss')).toBe('WRONGPASS *** and ***');
    expect(scrub('nothing to hide', null)).toBe('nothing to hide');
  });
});

describe('queue workers in the run state', () => {
  it('follows which worker took each job, its finished jobs and throughput; a job taken again moves', () => {
    const s = reduceAll(
      [
        { type: 'runStarted', experiment: 'x', backend: 'wasm', jobs: 2, workers: 0, at: 0 },
        { type: 'jobQueued', id: 'a', label: 'A', at: 0 },
        { type: 'jobQueued', id: 'b', label: 'B', at: 0 },
        { type: 'jobStarted', id: 'a', label: 'A', at: 0 },
        { type: 'jobStarted', id: 'b', label: 'B', at: 0 },
        { type: 'jobWorker', id: 'a', label: 'A', worker: 'h1:1', host: 'h1', slots: 1, at: 0 },
        { type: 'jobWorker', id: 'b', label: 'B', worker: 'h1:1', host: 'h1', slots: 1, at: 0 },
        { type: 'jobWorker', id: 'b', label: 'B', worker: 'h2:9', host: 'h2', slots: 2, at: 1000 },
        { type: 'jobFinished', id: 'a', label: 'A', ms: 5, at: 30_000 },
      ],
      initialState(),
    );
    expect(s.jobs.b!.worker).toBe('h2:9');
    expect(workerRows(s)).toEqual([
      { worker: 'h1:1', host: 'h1', slots: 1, running: 0, jobs: 1, perMinute: 2 },
      { worker: 'h2:9', host: 'h2', slots: 2, running: 1, jobs: 0, perMinute: 0 },
    ]);
  });
});
