#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export THEIA_CONFIG_DIR="${THEIA_CONFIG_DIR:-$(mktemp -d)}"

bash scripts/setup-system.sh --ui
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run build
npx mocha
if [ -f scripts/test-ui.sh ]; then
  bash scripts/test-ui.sh
fi
