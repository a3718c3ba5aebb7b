// Loading the real UCI Adult file (32,561 rows) with the CSV format: the median of 5 loads in one
// process (each a full read, parse, type, drop of "?" rows and one-hot encoding), and the cached read.
// usage: npm run build && node bench/adult-load.js [path/to/adult.csv]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedParse, parseCsv, readCsv } from '../dist/data/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file =
  process.argv[2] ??
  [join(root, '..', 'shared'), join(root, '..', '..', 'shared')]
    .map((d) => join(d, 'datasets', 'adult', 'adult.csv'))
    .find((p) => existsSync(p));
if (!file || !existsSync(file)) {
  console.log('adult.csv not found (looked in ../shared and ../../shared); give its path.');
  process.exit(0);
}
const opts = { label: 'Salary', missing: '?' };
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const cpu = [];
const time = (f) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  return [performance.now() - t0, r];
};
const loads = [];
let last;
for (let i = 0; i < 5; i++) {
  const [ms, r] = time(() => readCsv(file, opts));
  loads.push(ms);
  last = r;
}
const loadCpu = cpu.splice(0);
const cache = mkdtempSync(join(tmpdir(), 'mia-bench-data-'));
const req = { cacheDir: cache, format: 'csv', files: [file], options: opts, parse: ([b]) => parseCsv(b, file, opts) };
cachedParse(req);
const hits = [];
for (let i = 0; i < 5; i++) hits.push(time(() => cachedParse(req))[0]);
rmSync(cache, { recursive: true, force: true });
console.log(`${file}: ${last.dataset.n} records kept of ${last.stats.rows}, ${last.dataset.shape[0]} features`);
console.log(`load: median ${median(loads).toFixed(0)} ms of 5 (${loads.map((t) => t.toFixed(0)).join(', ')})`);
console.log(`load CPU time (user + system, all threads): median ${median(loadCpu).toFixed(0)} ms`);
console.log(`load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
console.log(`cached read: median ${median(hits).toFixed(0)} ms of 5 (${hits.map((t) => t.toFixed(0)).join(', ')})`);
