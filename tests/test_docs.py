"""The docs name only what exists: every file path and every Python name in
backticks in README.md, docs/ and bench/README.md (``cms/settings.py``,
``articles.visibility``, ``api.representation.article_detail``) is in the tree.

A path the tree makes when it runs (git-ignored, e.g. ``bench/data/``) counts
when ``.gitignore`` names it.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "cms", "articles", "api", "counters", "webhooks", "security", "harness",
    "bench", "tests",
)  # fmt: skip
FOLDERS = (*PACKAGES, "reader", "deploy", "clients", "scripts", "docs", "locale")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCS.append(ROOT / "bench" / "README.md")

CODE = re.compile(r"`([^`\s]+)`")
PATH = re.compile(r"^[\w.\-/]+$")
DOTTED = re.compile(rf"^(?:{'|'.join(PACKAGES)})(?:\.\w+)+$")
FILE_SUFFIXES = {"md", "py", "txt", "json", "toml", "yml", "yaml", "sqlite3"}


def _ignored() -> list[str]:
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return [line.strip("/") for line in lines if line and not line.startswith("#")]


@cache
def _names(module: Path) -> frozenset[str]:
    """Top-level names a module defines (functions, classes, assignments,
    imports) and the attributes its classes define."""
    tree = ast.parse(module.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return frozenset(names)


def _module(parts: list[str]) -> tuple[Path | None, list[str]]:
    """The longest prefix of ``parts`` that is a module or package, and the
    names after it."""
    for i in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:i])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.exists():
                return candidate, parts[i:]
    return None, parts


def _missing_path(text: str) -> bool:
    path = text.split(":")[0].rstrip("/")
    if any(char in path for char in "*{<"):
        return False
    if (ROOT / path).exists():
        return False
    return not any(path.startswith(ignored) for ignored in _ignored())


def _is_model(app: str, name: str) -> bool:
    """``app.Model``, Django's label of a model."""
    sources = [ROOT / app / "models.py", *(ROOT / app / "models").glob("*.py")]
    pattern = re.compile(rf"^class {name}\(", re.M)
    return any(s.exists() and pattern.search(s.read_text()) for s in sources)


def _missing_name(text: str) -> bool:
    parts = text.split(".")
    if len(parts) == 2 and parts[1][:1].isupper() and _is_model(*parts):
        return False
    module, rest = _module(parts)
    if module is None:
        return True
    if not rest:
        return False
    # A package's submodule folder (``api.counting``) or a name in the module.
    return rest[0] not in _names(module) and not (
        module.name == "__init__.py" and (module.parent / rest[0]).exists()
    )


def _is_path(text: str) -> bool:
    return "/" in text and bool(PATH.match(text)) and text.split("/")[0] in FOLDERS


def _is_name(text: str) -> bool:
    return bool(DOTTED.match(text)) and text.rsplit(".", 1)[1] not in FILE_SUFFIXES


def mentions(doc: Path) -> list[str]:
    texts = (m.group(1).rstrip(".,:;") for m in CODE.finditer(doc.read_text()))
    return [text for text in texts if _is_path(text) or _is_name(text)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_the_docs_name_what_exists(doc):
    missing = [
        text
        for text in mentions(doc)
        if (_missing_path(text) if "/" in text else _missing_name(text))
    ]
    assert not missing, f"{doc.relative_to(ROOT)} names what is not in the tree"


def test_the_check_sees_a_missing_module():
    assert _missing_name("api.summaries")
    assert _missing_name("articles.visibility.no_such_name")
    assert not _missing_name("articles.visibility")
    assert not _missing_name("articles.NewsImage")
    assert _missing_name("articles.NoSuchModel")
    assert _missing_path("harness/no_such_file.py")
    assert not _missing_path("bench/data/")
