"""What the production image leaves out (``.dockerignore``): the tests, the
harness of real servers they start and the benchmarks; and the app never
needs them (nothing it ships imports them)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ("cms", "articles", "api", "counters", "webhooks", "security")
LEFT_OUT = ("tests", "harness", "bench")


def test_the_image_leaves_out_tests_harness_and_bench():
    ignored = {
        line.strip().strip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert set(LEFT_OUT) <= ignored


def test_nothing_the_image_ships_imports_what_it_leaves_out():
    importing = []
    for app in APP:
        for module in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(name.split(".")[0] in LEFT_OUT for name in names):
                    importing.append(str(module.relative_to(ROOT)))
    assert not importing
