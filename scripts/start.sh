#!/usr/bin/env bash
# Starts the Cowork workspace in the browser at http://127.0.0.1:3000 (npm start).
# Installs and builds whatever is missing or out of date first.
#
# Usage: scripts/start.sh [WORKSPACE_FOLDER] [--port N]
#   WORKSPACE_FOLDER defaults to $COWORK_WORKSPACE, else ~/Cowork (created if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

workspace="${COWORK_WORKSPACE:-$HOME/Cowork}"
port="${PORT:-3000}"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    -h|--help) sed -n 2,6p "$0"; exit 0 ;;
    *) workspace="$1"; shift ;;
  esac
done

bash scripts/setup-system.sh

# npm records what it installed in node_modules/.package-lock.json: older than the lock file means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "start: installing dependencies"
  npm install --no-audit --no-fund
fi

# tsc -b is incremental: it rebuilds only packages whose sources changed.
echo "start: building packages"
npx tsc -b packages/cowork-vm packages/cowork-agent packages/cowork-ui

app=applications/browser
bundle="$app/lib/frontend/index.html"
if [ ! -f "$bundle" ] || [ -n "$(find packages/cowork-ui/lib packages/cowork-ui/src/browser/style $app/package.json -newer "$bundle" \( -name "*.js" -o -name "*.css" -o -name "*.json" \) ! -name "*.tsbuildinfo" -print -quit)" ]; then
  echo "start: bundling the browser app"
  (cd "$app" && npx theia build --mode production)
fi

mkdir -p "$workspace"
workspace="$(cd "$workspace" && pwd)"
echo "start: serving $workspace on http://127.0.0.1:$port"
cd "$app"
exec node lib/backend/main.js "$workspace" --hostname 127.0.0.1 --port "$port"
