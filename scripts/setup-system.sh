#!/usr/bin/env bash
# System packages the tests and the demo need: a browser for Playwright (Debian's chromium when the
# distribution has it, else Playwright's own download) and a Redis server for the distributed crawl.
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing ${need[*]} with apt-get" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null || true
  fi
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "setup: no system Chromium; downloading Playwright's own" >&2
  "$here/.venv/bin/playwright" install --with-deps chromium || echo "setup: no browser: rendering checks will report not_measured" >&2
fi
# LibreOffice (headless Calc) recalculates the score sheet's formulas in the tests; CJK fonts make the
# report screenshots readable. Separate from the list above so that a missing package fails alone.
if ! command -v soffice >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libreoffice-calc-nogui fonts-wqy-microhei >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libreoffice-calc >/dev/null 2>&1 \
    || echo "setup: no LibreOffice: the score-sheet recalculation test will be skipped" >&2
fi
# Attachments (content.privacy, content.wording): Tesseract with the Simplified Chinese data OCRs scanned
# PDF pages and images; antiword/catdoc read .doc/.wps, LibreOffice Writer is their fallback; a CJK font
# draws the generated scanned page of the OCR test. Without them those documents are not_measured.
att=()
command -v tesseract >/dev/null 2>&1 || att+=(tesseract-ocr tesseract-ocr-chi-sim)
command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>&1 | grep chi_sim >/dev/null && att+=(tesseract-ocr-chi-sim)
command -v antiword >/dev/null 2>&1 || att+=(antiword)
command -v catdoc >/dev/null 2>&1 || att+=(catdoc)
[ -e /usr/lib/libreoffice/program/swriter ] || [ -e /usr/lib/libreoffice/program/libswlo.so ] || att+=(libreoffice-writer-nogui)
# no grep -q: under pipefail its early exit makes fc-list fail, and the font would be installed every time
fc-list 2>/dev/null | grep -i "wqy\|noto sans cjk" >/dev/null || att+=(fonts-wqy-microhei)
if [ ${#att[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${att[*]} with apt-get" >&2
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${att[@]}" >/dev/null 2>&1 \
    || echo "setup: could not install ${att[*]}: scanned pages and .doc/.wps attachments will be not_measured" >&2
fi
