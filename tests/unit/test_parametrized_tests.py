"""Every parametrized test tests its values as given: none reassigns a parameter in its body
(a test once swapped "LM-Studio" for "lmstudio" and so hid a bug)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parents[1]


def reassigned_parameters(source: str) -> list[str]:
    """`test_name: parameter` for each parametrized test that assigns to one of its parameters."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not any("parametrize" in ast.unparse(d) for d in function.decorator_list):
            continue
        parameters = {argument.arg for argument in function.args.args}
        for node in ast.walk(function):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.NamedExpr | ast.For):
                targets = [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            found += [f"{function.name}: {name}" for name in sorted(names & parameters)]
    return found


def test_no_parametrized_test_rewrites_a_parameter() -> None:
    offenders = [
        f"{module.relative_to(TESTS)} {offence}"
        for module in sorted(TESTS.rglob("test_*.py"))
        for offence in reassigned_parameters(module.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_a_rewritten_parameter_is_caught() -> None:
    planted = """
import pytest

@pytest.mark.parametrize(("alias", "name"), [("LM-Studio", "openai_compatible")])
def test_aliases(alias, name):
    if alias == "LM-Studio":
        alias = "lmstudio"
    assert resolve(alias) == name

@pytest.mark.parametrize("count", [1, 2])
def test_counts(count):
    for count in range(3):
        pass

def test_not_parametrized(value=1):
    value = 2
"""
    assert reassigned_parameters(planted) == ["test_aliases: alias", "test_counts: count"]
