#!/usr/bin/env bash
# Run the tests: bash scripts/test.sh [pytest options]
#
# Creates .venv and installs requirements-dev.txt when it changed, makes sure
# Debian's chromium + chromium-driver are present for the browser (e2e)
# tests (installs them with apt-get when run as root or with passwordless
# sudo), then runs pytest with the given arguments. Without arguments: the suite without the browser
# tests on two workers, then the browser tests alone. Exit code = pytest's (the first failing run's).
# Never downloads a browser of its own (no `playwright install`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
cd "$ZZ_ROOT"

ensure_venv requirements-dev.txt

# The browser the e2e tests drive (tests/e2e/conftest.py reads the same variable).
CHROMIUM="${ZORGZAAM_CHROMIUM:-/usr/bin/chromium}"

ensure_chromium() {
    if [ -x "$CHROMIUM" ] && [ -x /usr/bin/chromedriver ]; then
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
            sudo="sudo"
        else
            return 1
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || return 1
    zz_say "Debian-pakketten chromium en chromium-driver installeren (eenmalig) ..."
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null || return 1
    [ -x "$CHROMIUM" ]
}

if ! ensure_chromium; then
    if zz_is_ci; then
        zz_say "LET OP: $CHROMIUM ontbreekt en kon niet geïnstalleerd worden (geen root/sudo of apt-get mislukt)."
        zz_say "        CI is gezet: de browsertests (e2e) zullen FALEN."
    else
        zz_say "LET OP: $CHROMIUM ontbreekt en kon niet geïnstalleerd worden (geen root/sudo of apt-get mislukt)."
        zz_say "        De browsertests (e2e) worden overgeslagen. Installeer ze met: sudo apt-get install chromium chromium-driver"
    fi
fi

if [ "$#" -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi

# The whole suite: first the lint and format check (ruff, settings in pyproject.toml), then everything
# but the browser tests on two workers (pytest-xdist), then the browser tests on their own, because they
# time real clicks and must not share the machine with other tests.
status=0
.venv/bin/ruff check . || status=$?
.venv/bin/ruff format --check . || status=$?
.venv/bin/python -m pytest -n "${ZZ_TEST_WORKERS:-2}" -m "not e2e" || status=$?
e2e_status=0
.venv/bin/python -m pytest -m e2e || e2e_status=$?
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
exit "$e2e_status"
