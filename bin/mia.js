#!/usr/bin/env node
// The `mia` command: runs the compiled CLI (npm install builds dist/ through the prepare script).
import { main } from '../dist/cli/main.js';
import { visible } from '../dist/util/escape.js';

// A reader that goes away (`mia fmt big.mia | head`) has what it wanted: stop quietly, as `cat` does, instead of
// dying on the unhandled EPIPE. Cache and result files are written atomically, so nothing is left half-written.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e?.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(visible(`mia: internal error (a bug in mia, please report it): ${e?.stack ? e.stack : e}\n`));
    process.exitCode = 70;
  },
);
