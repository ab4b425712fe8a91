#!/usr/bin/env bash
# Runs every benchmark in bench/ after a build. Figures print beside a baseline from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm install --no-audit --no-fund
npm run build --silent
status=0
for f in bench/*.js bench/*.mjs; do
  [ -e "$f" ] || continue
  echo "== $f"
  node --expose-gc "$f" || { echo "bench $f failed"; status=1; }
done
exit $status
