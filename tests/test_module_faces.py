"""How modules meet, checked from the source (ast): no module imports another module's private
(_name) names, the service's pages-facing names come from its package, and the command line
has one command table with every command's imports at the top of its module."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

from zi_dashboard import cli
from zi_dashboard.app import service

PACKAGE = ROOT / "zi_dashboard"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def private_imports(path: Path) -> list[str]:
    """'line 15: zi_dashboard.app.service._open' for each private name imported from the package."""
    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("zi_dashboard")):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    bad.append(f"line {node.lineno}: {node.module}.{a.name}")
    return bad


def test_no_module_imports_a_private_name_of_another():
    bad = {str(p.relative_to(ROOT)): found for p in SOURCES + [ROOT / "app.py"] if (found := private_imports(p))}
    assert not bad


def test_the_checker_sees_a_private_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from zi_dashboard.app.service.store_access import _editor_ready, get_store\n")
    assert private_imports(probe) == ["line 1: zi_dashboard.app.service.store_access._editor_ready"]


def test_the_service_package_gives_every_name_it_lists():
    assert all(hasattr(service, name) for name in service.__all__)
    assert not [name for name in service.__all__ if name.startswith("_")]


def imports_inside_functions(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        inner.lineno
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    ]


def test_the_command_line_imports_at_the_top_of_its_modules():
    found = {p.name: lines for p in sorted((PACKAGE / "cli").glob("*.py")) if (lines := imports_inside_functions(p))}
    assert not found


def test_one_command_table_gives_the_parser_every_command():
    """Every command of the parser is a row of cli.COMMANDS (subcommands too), in its order, and
    each one the parser can run has its function set (set_defaults(func=...))."""
    parser = cli.build_parser()

    def choices(p) -> dict:
        return next(a for a in p._actions if a.dest.endswith("command")).choices

    top = choices(parser)
    assert list(top) == [c.name for c in cli.COMMANDS]
    for c in cli.COMMANDS:
        if c.subcommands:
            subs = choices(top[c.name])
            assert list(subs) == [s.name for s in c.subcommands]
            assert all(subs[s.name].get_default("func") is s.run for s in c.subcommands)
        else:
            assert top[c.name].get_default("func") is c.run and c.run is not None
