#!/usr/bin/env bash
# Start the zorgzaam app: bash scripts/app.sh [streamlit run options]
#
# Works on a fresh machine with Python >= 3.11 (override with PYTHON=...):
# creates .venv, installs requirements.txt when it changed, builds the demo
# database when it is missing (path: $ZORGZAAM_DB or the default), then runs
# Streamlit. Extra arguments go to `streamlit run app.py`, e.g.
#   bash scripts/app.sh --server.port 8600
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
cd "$ZZ_ROOT"

ensure_venv requirements.txt
.venv/bin/python -m zorgzaam demo --if-missing
exec .venv/bin/streamlit run app.py "$@"
