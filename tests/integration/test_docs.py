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
REPO_PREFIXES = ("src/", "tests/", "benchmarks/", "scripts/", "docs/", "config/", ".ci/")
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
    "DataStore",
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


# --- claims about commands, settings, files and the layout, in the README and every page -------
# Each check is a function from text to the stale claims it finds, so that the tests below can
# also plant a stale claim and see it caught. CHANGELOG.md is history: it keeps old names.

CLAIM_PAGES = [ROOT / "README.md", *(p for p in DOC_FILES if p.name != "CHANGELOG.md")]
# Variables the docs may name that are not settings: each must be read somewhere in the repo.
NON_SETTING_VARIABLES = {
    "CONFIG_FILE": "src/interview_platform/config.py",
    "REQUIRE_POSTGRES": "tests/conftest.py",
    "REQUIRE_BROWSER": "tests/e2e/conftest.py",
    "REQUIRE_SPEECH": ".ci/run",
    "UPDATE_SCREENSHOTS": "tests/e2e/conftest.py",
    "TEST_POSTGRES_URL": "tests/conftest.py",
    "BENCH_POSTGRES_URL": "benchmarks/cli.py",
    "POSTGRES_USER": "docker-compose.yml",
    "POSTGRES_PASSWORD": "docker-compose.yml",
    "POSTGRES_DB": "docker-compose.yml",
    "HF_HUB_OFFLINE": "src/interview_platform/communication/local_whisper.py",
    "OPENBLAS_NUM_THREADS": "src/interview_platform/__init__.py",
    "HTTP_PROXY": "src/interview_platform/monitoring/health.py",
    "HTTPS_PROXY": "src/interview_platform/monitoring/health.py",
    "NO_PROXY": "src/interview_platform/monitoring/health.py",
    # The README's example of a provider added by a package: the test package's own setting.
    "ACME_API_KEY": "tests/support/provider_package.py",
    "ACME_BASE_URL": "tests/support/provider_package.py",
}
VARIABLE = re.compile(r"(?<![\w.-])[A-Z][A-Z0-9]*(?:_{1,2}[A-Z0-9]+)+(?![\w.-])")
CLI_MENTION = re.compile(r"(?:^|[\s`(/])interview-platform((?:\s+[^\s;&#>]+)*)")
# The dev-only benchmarks: `python -m benchmarks NAME` (docs/adr/0008-dev-only-benchmarks.md).
BENCH_MENTION = re.compile(r"(?:^|[\s`(/])python -m benchmarks((?:\s+[^\s;&#>]+)*)")
PROGRAMS = {"interview-platform": CLI_MENTION, "python -m benchmarks": BENCH_MENTION}
MAKE_MENTION = re.compile(r"(?:^|[\s`(])make\s+([a-z][\w-]*)")
SHELL_LANGUAGES = ("bash", "sh", "shell", "console")
SHELL_BREAK = re.compile(r"\s(?:\||;|&&|>>?|#)\s|\)")
# Folders the app and the tools create; the docs may name them, the repository does not hold them.
GENERATED = ("data/", "./data", "logs/", "site/", "backups/", ".venv/", "audio/", "sessions/")
PACKAGE = SRC / "interview_platform"
PACKAGE_FOLDERS = tuple(f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and p.name[0] != "_")
ROOT_FILES = (
    "README.md",
    "Makefile",
    "pyproject.toml",
    "mkdocs.yml",
    ".env.template",
    "docker-compose.yml",
    "Dockerfile",
    ".pre-commit-config.yaml",
)


def code_mentions(body: str) -> list[str]:
    """Inline code spans and the lines of shell blocks: where the docs name commands and
    files (a table's `\\|` is an alternative: `bench storage|engine`)."""
    lines = [
        line
        for match in FENCE.finditer(body)
        if match.group("lang") in SHELL_LANGUAGES
        for line in match.group("body").splitlines()
    ]
    spans = INLINE_CODE.findall(FENCE.sub("", body))
    return [mention.replace("\\|", "|") for mention in [*spans, *lines]]


@functools.cache
def cli_tree(program: str = "interview-platform") -> dict[tuple[str, ...], frozenset[str]]:
    """Every command path of `interview-platform` (or of `python -m benchmarks`), with the
    options it takes."""
    import click

    from benchmarks.cli import bench
    from interview_platform.cli.main import main

    tree: dict[tuple[str, ...], frozenset[str]] = {}

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        tree[path] = frozenset(options | {"--help", "-h"})
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))

    walk(main if program == "interview-platform" else bench, ())
    return tree


def stale_cli_mentions(body: str) -> list[str]:
    """`interview-platform ...` (and `python -m benchmarks ...`) mentions naming a subcommand or
    an option that does not exist."""
    return [
        problem
        for program, pattern in PROGRAMS.items()
        for problem in stale_program_mentions(body, program, pattern)
    ]


def stale_program_mentions(body: str, program: str, pattern: re.Pattern[str]) -> list[str]:
    tree = cli_tree(program)
    problems = []
    for mention in code_mentions(body):
        for match in pattern.finditer(mention):
            path: tuple[str, ...] = ()
            for word in SHELL_BREAK.split(f" {match.group(1)} ")[0].split():
                option = re.match(r"\[?(--[a-z][a-z-]*)", word)
                alternatives = word.split("|")
                if (*path, word) in tree:
                    path = (*path, word)
                elif len(alternatives) > 1 and tree_children(path, program):
                    unknown = [w for w in alternatives if (*path, w) not in tree]
                    problems += [f"{program} {' '.join((*path, w))}" for w in unknown]
                    break
                elif option:
                    if option.group(1) not in tree[path]:
                        problems.append(f"{program} {' '.join(path)} {option.group(1)}")
                elif tree_children(path, program) and re.fullmatch(r"[a-z][a-z-]*", word):
                    problems.append(f"{program} {' '.join((*path, word))}")
                    break
    return problems


def tree_children(path: tuple[str, ...], program: str = "interview-platform") -> list[str]:
    """The subcommands of a group (none for a command)."""
    return [p[-1] for p in cli_tree(program) if len(p) == len(path) + 1 and p[:-1] == path]


def stale_make_mentions(body: str, targets: set[str]) -> list[str]:
    return sorted(
        f"make {target}"
        for mention in code_mentions(body)
        for target in MAKE_MENTION.findall(mention)
        if target not in targets
    )


def setting_exists(variable: str) -> bool:
    """Whether an environment variable maps onto a field of Settings (`__` goes one level in)."""
    from pydantic import BaseModel

    from interview_platform.config import Settings

    model: type[BaseModel] = Settings
    parts = variable.lower().split("__")
    for index, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return False
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            model = kind
        else:  # a plain value ends the path; a dict (models, pricing) takes any key below it
            rest = parts[index + 1 :]
            return not rest or getattr(kind, "__origin__", None) is dict
    return False


def stale_variables(body: str) -> list[str]:
    text_only = FENCE.sub(
        lambda m: "" if m.group("lang") in ("python", "mermaid") else m.group(0), body
    )
    return sorted(
        {
            variable
            for variable in VARIABLE.findall(text_only)
            if variable not in NON_SETTING_VARIABLES and not setting_exists(variable)
        }
    )


def stale_paths(body: str) -> list[str]:
    """Repository paths in code spans (from the root, or inside the package) that do not exist."""
    missing = set()
    for mention in code_mentions(body):
        for word in mention.split():
            path = word.strip(".,;:()'\"[]").split("#")[0]
            if (
                not path
                or "://" in path
                or any(ch in path for ch in "{}<>*|$=")
                or path.startswith(GENERATED)
            ):
                continue
            in_repo = path.startswith(REPO_PREFIXES) or path in ROOT_FILES
            in_package = path.startswith(PACKAGE_FOLDERS)
            root_missing = in_repo and not (ROOT / path).exists()
            if root_missing or (in_package and not in_repo and not (PACKAGE / path).exists()):
                missing.add(path)
    return sorted(missing)


def bench_commands_left_out(makefile: str) -> list[str]:
    recipe = re.search(r"^bench:.*\n((?:\t.*\n?)*)", makefile, re.M)
    run = set(re.findall(r"-m benchmarks (\w+)", recipe.group(1) if recipe else ""))
    return sorted(set(tree_children((), "python -m benchmarks")) - run)


@pytest.mark.parametrize("page", CLAIM_PAGES, ids=name)
def test_every_cli_command_and_option_named_exists(page: Path) -> None:
    assert not stale_cli_mentions(text(page)), f"{name(page)}: {stale_cli_mentions(text(page))}"


@pytest.mark.parametrize("page", CLAIM_PAGES, ids=name)
def test_every_make_target_named_exists(page: Path) -> None:
    stale = stale_make_mentions(text(page), make_targets())
    assert not stale, f"{name(page)} names make targets that do not exist: {stale}"


@pytest.mark.parametrize("page", CLAIM_PAGES, ids=name)
def test_every_variable_named_is_a_setting_or_a_known_tool_variable(page: Path) -> None:
    stale = stale_variables(text(page))
    assert not stale, f"{name(page)} names variables that are not settings: {stale}"


def test_each_tool_variable_the_docs_may_name_is_read_where_they_say() -> None:
    for variable, where in NON_SETTING_VARIABLES.items():
        assert variable in (ROOT / where).read_text(encoding="utf-8"), (variable, where)


@pytest.mark.parametrize("page", CLAIM_PAGES, ids=name)
def test_every_file_named_in_code_exists(page: Path) -> None:
    stale = stale_paths(text(page))
    assert not stale, f"{name(page)} names files that do not exist: {stale}"


def test_make_bench_runs_every_bench_command() -> None:
    assert tree_children((), "python -m benchmarks"), "there are no bench commands"
    assert not bench_commands_left_out((ROOT / "Makefile").read_text(encoding="utf-8"))


# --- each check catches a planted stale claim -------------------------------------------------


@pytest.mark.parametrize(
    ("planted", "found"),
    [
        ("Run `interview-platform frobnicate`.", "interview-platform frobnicate"),
        ("Run `python -m benchmarks gpu`.", "python -m benchmarks gpu"),
        ("Run `interview-platform bench storage`.", "interview-platform bench"),
        ("`interview-platform run --workers 4`", "interview-platform run --workers"),
        ("`python -m benchmarks ui [--headless]`", "python -m benchmarks ui --headless"),
        ("`python -m benchmarks storage\\|gpu`", "python -m benchmarks gpu"),
        ("```bash\ninterview-platform db downgrade\n```\n", "interview-platform db downgrade"),
    ],
)
def test_a_stale_cli_claim_is_caught(planted: str, found: str) -> None:
    assert stale_cli_mentions(planted) == [found]


def test_true_cli_claims_pass() -> None:
    true = (
        "`interview-platform simulate --problem SLUG [--level LEVEL] [--candidate strong\\|weak]"
        " [--format json] [--save]`, `interview-platform evaluate transcript.md --problem X`,"
        " `python -m benchmarks storage\\|engine`, `interview-platform doctor --model-timeout"
        " 30`, the `interview-platform` command\n```bash\ninterview-platform db upgrade\n```\n"
    )
    assert stale_cli_mentions(true) == []


def test_a_stale_make_target_is_caught() -> None:
    body = "`make run`, then `make benchmarks`\n```bash\nmake lint\nmake deploy  # ship\n```\n"
    assert stale_make_mentions(body, make_targets()) == ["make benchmarks", "make deploy"]


def test_a_stale_setting_is_caught() -> None:
    body = (
        "Set `AI__GEMINI_API_KEY`, `STORAGE__RESUME_MAX_SIZE_MB`, `AI__MODELS__GEMINI=x`, "
        "LOG_COLOR or REQUIRE_POSTGRES; `DATABASE_URL__HOST` is not a thing.\n"
        "```python\nMAX_TURNS = 60\n```\n"
    )
    assert stale_variables(body) == ["AI__GEMINI_API_KEY", "DATABASE_URL__HOST", "LOG_COLOR"]


def test_a_stale_path_is_caught() -> None:
    body = (
        "See `src/interview_platform/core/planner.py`, `core/interviewer/problem_bank.yaml`, "
        "`providers/gemini.py`, `docs/notes/token-tracking.md`, `Makefile`, `data/app.db` "
        "and `https://example.com/core/x.py`.\n```bash\ncat tests/e2e/test_nothing.py\n```\n"
    )
    assert stale_paths(body) == [
        "providers/gemini.py",
        "src/interview_platform/core/planner.py",
        "tests/e2e/test_nothing.py",
    ]


def test_a_make_bench_that_leaves_a_benchmark_out_is_caught() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    planted = makefile.replace("\t$(BIN)/python -m benchmarks audio\n", "")
    assert planted != makefile
    assert bench_commands_left_out(planted) == ["audio"]


# --- STRUCTURE.md draws the real tree; testing.md names the variables the tests read --------

TREE_ENTRY = re.compile(r"^(?P<lead>[│ ]*)[├└]── (?P<name>[^\s]+/)", re.M)
TREE_ROOTS = (".ci", ".streamlit", "benchmarks", "config", "docs", "scripts", "src", "tests")
ENV_READ = re.compile(r"os\.environ(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]+)\"")


def drawn_folders(body: str) -> set[str]:
    """The folders of the tree in a ```text block, as paths from the root."""
    tree = next((b for b in fences_of(body, "text") if "├──" in b), "")
    stack: list[str] = []
    found = set()
    for match in TREE_ENTRY.finditer(tree):
        depth = len(match.group("lead")) // 4
        stack[depth:] = [match.group("name").rstrip("/")]
        found.add("/".join(stack))
    return found


def fences_of(body: str, lang: str) -> list[str]:
    return [m.group("body") for m in FENCE.finditer(body) if m.group("lang") == lang]


def real_folders() -> set[str]:
    """Every folder holding files under the tracked top-level folders (no caches)."""
    found = set()
    for top in TREE_ROOTS:
        for folder in [ROOT / top, *(ROOT / top).rglob("*")]:
            if not folder.is_dir() or "__pycache__" in folder.parts:
                continue
            if folder.name.endswith(".egg-info"):
                continue
            if any(f.is_file() and f.suffix != ".pyc" for f in folder.rglob("*")):
                found.add(str(folder.relative_to(ROOT)))
    return found


def tree_problems(body: str) -> list[str]:
    drawn, real = drawn_folders(body), real_folders()
    return [f"not drawn: {f}" for f in sorted(real - drawn)] + [
        f"no such folder: {f}" for f in sorted(drawn - real)
    ]


def test_the_structure_page_draws_every_folder_and_only_real_ones() -> None:
    problems = tree_problems(text(DOCS / "STRUCTURE.md"))
    assert not problems, f"docs/STRUCTURE.md is out of date: {problems}"


def test_a_stale_structure_tree_is_caught() -> None:
    body = text(DOCS / "STRUCTURE.md")
    line = next(x for x in body.splitlines() if "understanding/" in x and "core" not in x)
    planted = body.replace(line + "\n", "", 1).replace(
        "├── scripts/", "├── tools/                          gone\n├── scripts/", 1
    )
    problems = tree_problems(planted)
    assert "no such folder: tools" in problems
    assert any(p.startswith("not drawn: ") and p.endswith("understanding") for p in problems)


def variables_the_tests_read() -> set[str]:
    found = set()
    for module in (ROOT / "tests").rglob("*.py"):
        found |= set(ENV_READ.findall(module.read_text(encoding="utf-8")))
    return found - {"PATH"}


def undocumented_test_variables(testing_page: str, ci_script: str) -> list[str]:
    """Variables the tests or `.ci/run` use that the testing page does not name."""
    exported = set(re.findall(r"^export ([A-Z][A-Z0-9_]+)=", ci_script, re.M))
    return sorted(v for v in variables_the_tests_read() | exported if v not in testing_page)


def test_the_testing_page_names_every_variable_the_tests_and_ci_use() -> None:
    page = text(DOCS / "developer" / "testing.md")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert {"REQUIRE_POSTGRES", "REQUIRE_BROWSER", "UPDATE_SCREENSHOTS"} <= (
        variables_the_tests_read()
    )
    assert not undocumented_test_variables(page, ci)
    assert ".ci/run" in page


def test_a_testing_page_missing_a_variable_is_caught() -> None:
    page = text(DOCS / "developer" / "testing.md")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert undocumented_test_variables(page.replace("UPDATE_SCREENSHOTS", "UPDATE"), ci) == [
        "UPDATE_SCREENSHOTS"
    ]
    assert undocumented_test_variables(page, ci + "export REQUIRE_GPU=1\n") == ["REQUIRE_GPU"]


# --- phrases that were true once: a promise of a later release, privacy the app does not give --

STALE_PHRASES = {
    r"\b(?:next|later|future|coming) release\b": "a feature promised for a later release",
    r"\bcoming soon\b": "a feature promised for later",
    r"never see each other": "names are labels, not logins: anyone can open any name",
    r"never an estimate": "usage is estimated when a provider reports none",
}


def stale_phrases(body: str) -> list[str]:
    flat = re.sub(r"\s+", " ", body)
    return [
        f"{why}: {match.group(0)!r}"
        for pattern, why in STALE_PHRASES.items()
        for match in re.finditer(pattern, flat, re.IGNORECASE)
    ]


@pytest.mark.parametrize("page", CLAIM_PAGES, ids=name)
def test_no_page_repeats_a_claim_known_to_be_false(page: Path) -> None:
    assert not stale_phrases(text(page)), f"{name(page)}: {stale_phrases(text(page))}"


def test_a_false_claim_is_caught_across_a_line_break() -> None:
    body = "Voice and video are the next\nrelease. Two users never see each\nother's sessions."
    assert len(stale_phrases(body)) == 2
