#!/usr/bin/env bash
# Installs the system packages the test suite drives: Debian's Chromium (for the site tests and
# PDF printing through playwright-core; browser downloads cannot work on our machines) and
# poppler-utils (pdftotext, pdfinfo, pdftoppm read PDFs back). Skips what is already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -n "${LABBOOK_CHROMIUM:-}" ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v git >/dev/null 2>&1 || need+=(git)
if [ ${#need[@]} -eq 0 ]; then
  echo "setup: chromium, poppler-utils and git are installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${need[*]} with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
