"""Eligibility sits left of households and subsidy (DESIGN.md): it never imports them."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "eligibility"


@pytest.mark.parametrize("module", sorted(APP.rglob("*.py")), ids=lambda path: str(path.relative_to(APP)))
def test_eligibility_does_not_import_households_or_subsidy(module):
    imported = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])

    assert not imported & {"households", "subsidy"}
