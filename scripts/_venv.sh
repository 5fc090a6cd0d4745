# Shared by scripts/app.sh and scripts/test.sh (sourced, not run).
#
# ensure_venv REQUIREMENTS_FILE
#   Creates .venv (in the repo root) with ${PYTHON:-python3} if it is missing
#   or broken, and installs REQUIREMENTS_FILE into it only when that file (or
#   a file it includes with -r) changed since the last successful install
#   (hash stamp in .venv/).

ZZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZZ_VENV="$ZZ_ROOT/.venv"

zz_say() { printf '[zorgzaam] %s\n' "$*" >&2; }
zz_die() { printf '[zorgzaam] FOUT: %s\n' "$*" >&2; exit 1; }

# True when $CI is set to something other than "", 0, false, no.
zz_is_ci() {
    case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
        ""|0|false|no|off) return 1 ;;
        *) return 0 ;;
    esac
}

zz_check_python() {
    ZZ_PYTHON="${PYTHON:-python3}"
    command -v "$ZZ_PYTHON" >/dev/null 2>&1 ||
        zz_die "Python niet gevonden ('$ZZ_PYTHON'). Installeer Python 3.11 of nieuwer, of zet PYTHON=/pad/naar/python3.11."
    "$ZZ_PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' ||
        zz_die "Python 3.11 of nieuwer is nodig; '$ZZ_PYTHON' is $("$ZZ_PYTHON" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo onbekend). Zet PYTHON=/pad/naar/python3.11."
}

# Hash of a requirements file plus every file it pulls in with -r/--requirement.
zz_req_hash() {
    "$ZZ_VENV/bin/python" - "$1" <<'PY'
import hashlib, pathlib, re, sys

seen, h = set(), hashlib.sha256()

def add(path: pathlib.Path) -> None:
    path = path.resolve()
    if path in seen:
        return
    seen.add(path)
    text = path.read_bytes()
    h.update(str(path.name).encode() + b"\0" + text + b"\0")
    for line in text.decode().splitlines():
        m = re.match(r"\s*(?:-r|--requirement)[=\s]\s*(\S+)", line)
        if m:
            add(path.parent / m.group(1))

add(pathlib.Path(sys.argv[1]))
h.update(sys.version.encode())
print(h.hexdigest())
PY
}

ensure_venv() {
    local req="$ZZ_ROOT/$1"
    [ -f "$req" ] || zz_die "$1 ontbreekt in $ZZ_ROOT."
    if [ ! -x "$ZZ_VENV/bin/python" ] || ! "$ZZ_VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then
        zz_check_python
        if [ -e "$ZZ_VENV" ]; then
            zz_say "De virtuele omgeving .venv is onbruikbaar; ze wordt opnieuw gemaakt."
            rm -rf "$ZZ_VENV"
        fi
        zz_say "Virtuele omgeving .venv maken met $ZZ_PYTHON ..."
        "$ZZ_PYTHON" -m venv "$ZZ_VENV" ||
            zz_die "'$ZZ_PYTHON -m venv' mislukte. Op Debian/Ubuntu: apt-get install python3-venv."
    fi
    local stamp="$ZZ_VENV/.zorgzaam-$(basename "$req").sha256"
    local want have=""
    want="$(zz_req_hash "$req")" || zz_die "kon $1 niet lezen."
    [ -f "$stamp" ] && have="$(cat "$stamp")"
    if [ "$want" != "$have" ]; then
        zz_say "Pakketten installeren uit $1 (eenmalig, enkele minuten) ..."
        "$ZZ_VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$req" ||
            zz_die "pip install -r $1 mislukte (zie hierboven)."
        printf '%s\n' "$want" > "$stamp"
    fi
}
