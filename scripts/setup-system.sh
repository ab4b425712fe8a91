#!/usr/bin/env bash
# Installs the system packages Cowork needs, only those missing.
# Usage: scripts/setup-system.sh [--ui]   (--ui adds chromium for browser tests)
set -euo pipefail

want=(
  bubblewrap socat util-linux uidmap iproute2 attr
  python3 python3-pandas python3-openpyxl python3-docx python3-xlsxwriter python3-pypdf
  libreoffice-calc-nogui libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils
  fonts-crosextra-carlito fonts-liberation2 fonts-crosextra-caladea fonts-dejavu-core
  tesseract-ocr tesseract-ocr-eng
  libsecret-1-dev libxkbfile-dev
)
if [ "${1:-}" = "--ui" ] || [ "${COWORK_SETUP_UI:-}" = "1" ]; then
  want+=(chromium)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages: all present"; exit 0; }

echo "system packages: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
