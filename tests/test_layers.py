"""The architecture, checked from the source: every module's imports (read with ast) go only
downwards through the layers, and only the app glue imports Streamlit.

    labels                      words the user reads (used by every layer)
    reading                     bytes -> plan, progress rows, problems
    counting                    plan + rows + as-of date -> every figure
    outputs, storage            figures -> charts, tables, files; the database and editors
    app                         the one service the pages and the CLI ask; ui draws (Streamlit)
    cli                         the command line, beside the pages
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "zi_dashboard"
RANK = {"labels": 0, "reading": 1, "counting": 2, "outputs": 3, "storage": 3, "app": 4, "cli": 5, "__main__": 6}
STREAMLIT_ALLOWED = ("app/ui",)  # the page glue, a module or a package


def layer_of(module: str) -> str | None:
    """'zi_dashboard.reading.sheets' -> 'reading'; None for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "zi_dashboard" else None


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """Absolute names of everything a module imports, with line numbers (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            out.append((base, node.lineno))
            out += [(f"{base}.{a.name}", node.lineno) for a in node.names]
    return out


SOURCES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_the_package_has_the_layers():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    # labels and cli may each be one module or a package
    assert folders <= {"reading", "counting", "outputs", "storage", "app", "labels", "cli"}
    assert folders | flat == {
        "reading",
        "counting",
        "outputs",
        "storage",
        "app",
        "labels",
        "cli",
        "__init__",
        "__main__",
    }, "modules belong in a layer"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers(path, root: Path = ROOT):
    mine = layer_of(module_name(path, root))
    if mine is None:
        return
    bad = []
    for name, line in imports_of(path, root):
        theirs = layer_of(name)
        if theirs in RANK and theirs != mine and RANK[theirs] >= RANK[mine]:
            bad.append(f"line {line}: {name} ({theirs}) from {mine}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    "path", SOURCES + sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_only_the_glue_imports_streamlit(path, root: Path = ROOT):
    rel = path.relative_to(root).as_posix()
    uses = [line for name, line in imports_of(path, root) if name == "streamlit" or name.startswith("streamlit.")]
    glue = (
        rel.startswith("pages/")
        or rel == "app.py"
        or any(rel.startswith(f"zi_dashboard/{g}") for g in STREAMLIT_ALLOWED)
    )
    assert glue or not uses, f"{rel} imports streamlit at lines {uses}"


def test_the_check_sees_a_violation(tmp_path):
    """The checker itself: an upward import and a Streamlit import are found (in a module
    written under tmp_path as if it were zi_dashboard/reading/_layer_probe.py)."""
    fake = tmp_path / "zi_dashboard" / "reading" / "_layer_probe.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("import streamlit as st\nfrom zi_dashboard.app import service\n")
    with pytest.raises(AssertionError, match="app"):
        test_imports_go_down_the_layers(fake, tmp_path)
    with pytest.raises(AssertionError, match="streamlit"):
        test_only_the_glue_imports_streamlit(fake, tmp_path)
