"""The house rules that a grep can check: the domain knows no Streamlit."""

from __future__ import annotations

import ast
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
