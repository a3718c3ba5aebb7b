#!/usr/bin/env node
// The `mia` command: runs the compiled CLI (npm install builds dist/ through the prepare script).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`mia: internal error (a bug in mia, please report it): ${e?.stack ? e.stack : e}\n`);
    process.exitCode = 70;
  },
);
