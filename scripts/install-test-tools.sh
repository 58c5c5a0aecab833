#!/usr/bin/env bash
# Installs the Python tools the test suite runs against a live service: schemathesis (OpenAPI fuzzing,
# SchemathesisTest). A virtual environment under ~/.cache/videopipe/ (or $VIDEOPIPE_TOOLS_DIR), pinned, idempotent.
# Prints the path of the schemathesis executable; tests find it as $VIDEOPIPE_SCHEMATHESIS or at that path.
#   bash scripts/install-test-tools.sh
set -euo pipefail
SCHEMATHESIS_VERSION=4.32.5
root="${VIDEOPIPE_TOOLS_DIR:-$HOME/.cache/videopipe/tools}"
venv="$root/schemathesis-$SCHEMATHESIS_VERSION"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
"$venv/bin/schemathesis" --version >&2
echo "$venv/bin/schemathesis"
