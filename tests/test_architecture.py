"""The house rules that a grep can check: the domain knows no Streamlit."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "zorgzaam"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_the_domain_outside_ui_imports_no_streamlit():
    files = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]
    assert len(files) > 40  # the whole domain was read, not an empty folder
    offenders = sorted(str(p.relative_to(PACKAGE)) for p in files if "streamlit" in _imports(p))
    assert offenders == []


def test_the_check_would_see_a_streamlit_import(tmp_path):
    page = tmp_path / "x.py"
    page.write_text("import os\nfrom streamlit import session_state\n", encoding="utf-8")
    assert "streamlit" in _imports(page)


SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+(TABLE|INDEX)|"
    r"DROP\s+TABLE|ALTER\s+TABLE)\b",
    re.IGNORECASE | re.DOTALL,
)


def _sql_strings(path: Path) -> list[int]:
    """Line numbers of string constants in ``path`` that read like SQL."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def test_only_the_store_package_holds_sql():
    files = [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "store"]
    found = {str(p.relative_to(PACKAGE)): _sql_strings(p) for p in files}
    assert {f: lines for f, lines in found.items() if lines} == {}
    store_files = list((PACKAGE / "store").glob("*.py"))
    assert sum(len(_sql_strings(p)) for p in store_files) > 50  # the check recognises the store's own SQL


def test_the_sql_check_sees_a_query_in_a_string(tmp_path):
    code = tmp_path / "x.py"
    code.write_text(
        'q = ("SELECT a, b FROM observations"\n     " WHERE x = ?")\nlabel = "Selecteer van de lijst"\n',
        encoding="utf-8",
    )
    assert _sql_strings(code) == [1]


# Packages whose modules are internals: their ``__init__`` re-exports the public names (and holds the ``__all__``).
# ui/ is the Streamlit layer, not the domain.
INTERNAL_PACKAGES = {("ui",), ("store",), ("demo",), ("importers", "files")}
# Domain modules without an ``__all__``, each with its reason.
WITHOUT_ALL = {
    "zorgzaam": "an empty package: nothing to export",
    "zorgzaam.reports": "a package of report modules with only a docstring: nothing to export",
}


def _public_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__main__" or parts[0] == "ui":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        elif any(parts[: len(p)] == p for p in INTERNAL_PACKAGES):
            continue
        names.append(".".join(("zorgzaam", *parts)))
    return names


def test_every_domain_module_states_its_public_names():
    import importlib

    modules = _public_modules()
    assert {"zorgzaam.access", "zorgzaam.reports.profile", "zorgzaam.importers.figures", "zorgzaam.store"} <= set(
        modules
    )
    assert set(WITHOUT_ALL) <= set(modules)  # no stale exemption
    problems = {}
    for name in modules:
        module = importlib.import_module(name)
        if not hasattr(module, "__all__"):
            if name not in WITHOUT_ALL:
                problems[name] = "no __all__"
            continue
        exported = list(module.__all__)
        missing = [n for n in exported if not hasattr(module, n)]
        private = [n for n in exported if n.startswith("_")]
        doubled = sorted({n for n in exported if exported.count(n) > 1})
        if missing or private or doubled:
            problems[name] = {"missing": missing, "private": private, "doubled": doubled}
    assert problems == {}
