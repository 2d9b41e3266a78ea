"""The pages talk to services only: no module under ui/ imports the storage layer or SQL, or
reaches for the data store or the file storage (the services in bootstrap wrap them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import interview_platform.ui

UI = Path(interview_platform.ui.__file__).parent
FORBIDDEN_MODULES = ("interview_platform.storage", "sqlalchemy")
FORBIDDEN_ATTRIBUTES = {"data_store", "file_storage", "work_queue"}


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN_MODULES)


def leaks(source: str) -> list[str]:
    """What the source does that only services may: each as 'line N: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += [f"line {node.lineno}: imports {m}" for m in _imported(node) if _forbidden(m)]
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"line {node.lineno}: uses .{node.attr}")
    return found


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import names: `from a import b` names `a`, or, when `a` is allowed,
    `a.b` (`b` may be a forbidden submodule, as in `from interview_platform import storage`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = node.module or ""
    if _forbidden(module):
        return [module]
    return [f"{module}.{alias.name}" for alias in node.names]


def test_no_ui_module_reaches_past_the_services() -> None:
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 10, "the ui package was not found"
    found = [
        f"{path.relative_to(UI.parent)} {leak}"
        for path in modules
        for leak in leaks(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "ui/ must go through the services:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from interview_platform.storage.file_storage import FileStorage",
        "from interview_platform import storage",
        "import interview_platform.storage.sql_store as sql",
        "from sqlalchemy import select",
        "rows = services().data_store.list_media(sid)",
        "path = app.file_storage.session_dir(sid)",
    ],
)
def test_each_kind_of_leak_is_caught(source: str) -> None:
    assert len(leaks(source)) == 1


def test_services_and_the_core_are_not_leaks() -> None:
    source = (
        "from interview_platform.core.models import MediaType\n"
        "from interview_platform.communication.media import CaptureTally\n"
        "snapshots = services().media.session_media(mine(), sid)\n"
    )
    assert leaks(source) == []
