"""The documentation site: it builds in strict mode, and what it says about the repository is true.

Checks: `mkdocs build --strict`; every repository path named in docs/ exists; every Python block
parses; every relative link resolves (with its anchor); every command in the user and developer
guides' bash blocks is a real make target or `interview-platform` command; every class named in
a Mermaid diagram is defined under src/.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
SRC = ROOT / "src"
BIN = Path(sys.executable).parent
DOC_FILES = sorted(DOCS.rglob("*.md"))
# Pages whose ```bash blocks must hold only real commands (operations.md also runs Docker).
COMMAND_PAGES = [DOCS / "index.md", *sorted((DOCS / "user-guide").glob("*.md"))]
COMMAND_PAGES += sorted((DOCS / "developer").glob("*.md"))
REPO_PREFIXES = ("src/", "tests/", "scripts/", "docs/", "config/", ".ci/")
# The composition root as the architecture page must draw it.
COMPOSITION = {
    "Services",
    "SessionManager",
    "AIInterviewer",
    "EvaluationManager",
    "ResumeManager",
    "CommunicationManager",
    "WhiteboardHandler",
    "AudioHandler",
    "FileStorage",
    "IDataStore",
    "SQLDataStore",
    "InMemoryDataStore",
    "TokenTracker",
    "LoggingManager",
    "HealthChecker",
    "ProviderPool",
    "ProviderRegistry",
}

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
CLASS_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*\b")
DEFINITION = re.compile(r"^\s*class\s+(\w+)|^(\w+)\s*(?::[^=\n]*)?=", re.M)


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def fences(page: Path, lang: str) -> list[str]:
    return [m.group("body") for m in FENCE.finditer(text(page)) if m.group("lang") == lang]


def prose(page: Path) -> str:
    """The page without its fenced blocks."""
    return FENCE.sub("", text(page))


def name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_there_are_pages() -> None:
    assert len(DOC_FILES) >= 20
    assert (DOCS / "user-guide" / "quick-start.md").is_file()


def test_the_site_builds_in_strict_mode(tmp_path: Path) -> None:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    reference = (tmp_path / "site" / "reference" / "session-manager" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "SessionManager" in reference  # mkdocstrings rendered the docstrings


def repo_paths(page: Path) -> set[str]:
    candidates = [
        word.strip(".,;:()") for code in INLINE_CODE.findall(prose(page)) for word in code.split()
    ]
    candidates += LINK.findall(prose(page))
    return {
        c.split("#")[0]
        for c in candidates
        if c.startswith(REPO_PREFIXES) and not any(ch in c for ch in "{}<>*|$")
    }


@pytest.mark.parametrize("page", DOC_FILES, ids=name)
def test_every_repository_path_exists(page: Path) -> None:
    missing = sorted(p for p in repo_paths(page) if not (ROOT / p).exists())
    assert not missing, f"{name(page)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("page", DOC_FILES, ids=name)
def test_every_python_block_parses(page: Path) -> None:
    for block in fences(page, "python"):
        ast.parse(block)


def slugify(heading: str) -> str:
    """The anchor MkDocs gives a heading (Python-Markdown's toc slugify)."""
    ascii_only = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", ascii_only).strip().lower())


def anchors(page: Path) -> set[str]:
    return {slugify(h.replace("`", "")) for h in HEADING.findall(prose(page))}


def link_problems(page: Path) -> list[str]:
    problems = []
    body = INLINE_CODE.sub("", prose(page))
    for target in LINK.findall(body):
        if re.match(r"^[a-z][a-z+.-]*:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            problems.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{target}: no heading #{anchor}")
    return problems


@pytest.mark.parametrize("page", DOC_FILES, ids=name)
def test_every_internal_link_resolves(page: Path) -> None:
    assert not link_problems(page), f"{name(page)}: {link_problems(page)}"


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))


def commands(page: Path) -> list[list[str]]:
    lines = [line for block in fences(page, "bash") for line in block.splitlines()]
    return [line.split("#")[0].split() for line in lines if line.strip()]


def cli_words(words: list[str]) -> list[str]:
    """The subcommand path of an `interview-platform` line: words before options and values."""
    path = []
    for word in words:
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        path.append(word)
    return path


@functools.cache
def cli_exists(path: tuple[str, ...]) -> bool:
    result = subprocess.run(
        [str(BIN / "interview-platform"), *path, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode == 0 and "Usage:" in result.stdout


@pytest.mark.parametrize("page", COMMAND_PAGES, ids=name)
def test_every_command_is_real(page: Path) -> None:
    for words in commands(page):
        program = Path(words[0]).name
        if program == "make":
            assert words[1] in make_targets(), f"{name(page)}: no make target {words[1]}"
        elif program == "interview-platform":
            path = tuple(cli_words(words[1:]))
            assert cli_exists(path), f"{name(page)}: no command interview-platform {' '.join(path)}"


def test_the_quick_start_uses_the_two_commands_and_the_screenshots() -> None:
    page = DOCS / "user-guide" / "quick-start.md"
    assert ["make", "run"] in commands(page)
    assert ["make", "test"] in commands(page)
    shots = {Path(target).name for target in LINK.findall(prose(page))}
    assert {"setup.png", "interview.png", "whiteboard.png", "evaluation.png"} <= shots
    assert "history.png" in shots


@functools.cache
def defined_names() -> frozenset[str]:
    found: set[str] = set()
    for module in SRC.rglob("*.py"):
        for match in DEFINITION.finditer(module.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return frozenset(found)


def class_names(diagram: str) -> set[str]:
    """CamelCase words (two capitals or more, one lower-case letter or more): class names."""
    return {
        word
        for word in CLASS_NAME.findall(diagram)
        if sum(c.isupper() for c in word) >= 2 and any(c.islower() for c in word)
    }


@pytest.mark.parametrize("page", DOC_FILES, ids=name)
def test_every_class_in_a_mermaid_diagram_exists(page: Path) -> None:
    diagrams = fences(page, "mermaid")
    named = {word for diagram in diagrams for word in class_names(diagram)}
    named |= {word for diagram in diagrams for word in CLASS_NAME.findall(diagram)} & COMPOSITION
    assert named <= defined_names(), f"{name(page)}: not in src: {named - defined_names()}"


def test_the_architecture_diagram_draws_the_composition_root() -> None:
    diagrams = fences(DOCS / "developer" / "architecture.md", "mermaid")
    drawn = {word for diagram in diagrams for word in CLASS_NAME.findall(diagram)}
    assert drawn >= COMPOSITION, COMPOSITION - drawn
    assert "bootstrap()" in diagrams[0]


def test_the_site_lists_every_page() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    unlisted = [name(p) for p in DOC_FILES if str(p.relative_to(DOCS)) not in config]
    assert not unlisted, f"pages missing from mkdocs.yml's nav: {unlisted}"


def test_the_root_holds_at_most_ten_files() -> None:
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    files = [
        p.name
        for p in ROOT.iterdir()
        if p.is_file() and not any(fnmatch.fnmatch(p.name, pattern) for pattern in ignore)
    ]
    assert len(files) <= 10, f"the root holds {len(files)} files: {sorted(files)}"


def test_pre_commit_runs_the_ci_checks() -> None:
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for check in ("ruff check src tests", "ruff format --check src tests", ".venv/bin/mypy"):
        assert check in config
    assert "pass_filenames: false" in config
