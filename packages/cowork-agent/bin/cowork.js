#!/usr/bin/env node
require('../lib/src/cli/main').main(process.argv.slice(2)).then(
  code => { process.exitCode = code; },
  err => { process.stderr.write(`cowork: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; }
);
