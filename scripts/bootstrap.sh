#!/usr/bin/env bash
# Installs what Dubstage needs to build and run: Node 24, pnpm (pinned), the workspace dependencies,
# ffmpeg, sox (test signals; the WAV reader is checked against its files), and the pinned Python reference tools (pyaaf2, opentimelineio, pycmx: cross-checks and test
# inputs only, in a venv; $DUBSTAGE_PYTHON). Skips what is already installed. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node
ensure_pnpm
apt_install ffmpeg sox
ensure_python_tools
if [ -n "${CI:-}" ] || [ ! -d node_modules ]; then
  pnpm install --frozen-lockfile >&2
else
  pnpm install --prefer-offline >&2
fi
