#!/usr/bin/env bash
# Debian packages the tests and renderers need beyond PyPI:
#   fonts-noto-cjk  Chinese glyphs for PDF reports (WeasyPrint)
#   poppler-utils   pdftoppm/pdftotext, to look at rendered reports in tests
#   chromium        the real browser the UI tests drive through Playwright
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -euo pipefail
needed=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || needed+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null || needed+=(poppler-utils)
command -v chromium >/dev/null || needed+=(chromium)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${needed[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
else
    echo "please install these Debian packages: ${needed[*]}  (sudo apt-get install ${needed[*]})" >&2
    exit 1
fi
