#!/usr/bin/env bash
# The UI's tests, run by scripts/test.sh after the rest: builds the Theia extension, the browser
# app and the electron bundle (npm run build:ui), runs the extension's unit tests in plain Node,
# then the browser end-to-end tests (Debian's Chromium + playwright-core, scripted model server).
set -euo pipefail
cd "$(dirname "$0")/.."
export THEIA_CONFIG_DIR="${THEIA_CONFIG_DIR:-$(mktemp -d)}"

npm run build:ui
npx mocha --no-config --exit --timeout 30000 --reporter spec 'packages/cowork-ui/lib/**/*.spec.js'
bash applications/browser/test/run-e2e.sh
