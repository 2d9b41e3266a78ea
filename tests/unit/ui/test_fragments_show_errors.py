"""Every fragment and dialog under ui/ shows the platform's errors as the app's own message:
their reruns of their own run outside the page's guard (app.py), so an error raised there,
say the database gone mid-interview, would otherwise reach the browser as a traceback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import interview_platform.ui

UI = Path(interview_platform.ui.__file__).parent
RERUN_ALONE = {"fragment", "dialog"}


def _name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def unguarded(source: str) -> list[str]:
    """The fragments and dialogs without `@shows_errors` right under `@st.fragment` or
    `@st.dialog`, each as 'line N: name'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        names = [_name(d) for d in node.decorator_list]
        for index, name in enumerate(names):
            if name in RERUN_ALONE and names[index + 1 : index + 2] != ["shows_errors"]:
                found.append(f"line {node.lineno}: {node.name}")
    return found


def test_every_fragment_and_dialog_shows_errors() -> None:
    modules = sorted(UI.rglob("*.py"))
    found = [
        f"{path.relative_to(UI.parent)} {where}"
        for path in modules
        for where in unguarded(path.read_text(encoding="utf-8"))
    ]
    assert len(modules) > 10, "the ui package was not found"
    assert found == [], "put @shows_errors under @st.fragment / @st.dialog:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("@st.fragment\ndef f(): pass", ["line 2: f"]),
        ('@st.dialog("Sure?")\ndef f(): pass', ["line 2: f"]),
        ("@st.fragment(run_every=1)\n@other\ndef f(): pass", ["line 3: f"]),
        ("@shows_errors\n@st.fragment\ndef f(): pass", ["line 3: f"]),
        ("@st.fragment\n@shows_errors\ndef f(): pass", []),
        ('@st.dialog("Sure?")\n@shows_errors\ndef f(): pass', []),
        ("@st.cache_resource\ndef f(): pass", []),
    ],
)
def test_the_check_finds_an_unguarded_fragment(source: str, found: list[str]) -> None:
    assert unguarded(source) == found
