#!/usr/bin/env bash
# Browser end-to-end tests of the workspace (npm run test:ui): Debian's Chromium driven by
# playwright-core against the built browser app and the scripted model server.
# Builds the UI first if it is missing; installs chromium through setup-system.sh --ui if needed.
set -euo pipefail
cd "$(dirname "$0")/../../.."
[ -x /usr/bin/chromium ] || bash scripts/setup-system.sh --ui
if [ ! -f applications/browser/lib/backend/main.js ] || [ ! -f packages/cowork-ui/lib/src/browser/cowork-frontend-module.js ]; then
  npm run build
  npm run build:ui
fi
export THEIA_CONFIG_DIR="${THEIA_CONFIG_DIR:-$(mktemp -d)}"
exec npx mocha --config applications/browser/test/mocharc.json "$@"
