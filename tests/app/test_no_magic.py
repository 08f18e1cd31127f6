"""Streamlit's "magic" (showing the value of a bare expression) is off in .streamlit/config.toml,
which changes no page only while no page relies on it: app.py and every page file hold no
expression statement other than calls (magic never shows those) and the module's docstring."""

from __future__ import annotations

import ast
import tomllib

from conftest import ROOT


def test_magic_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False


def test_no_page_shows_anything_by_a_bare_expression():
    scripts = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    assert len(scripts) > 5
    shown = []
    for script in scripts:
        tree = ast.parse(script.read_text(encoding="utf-8"))
        docstring = tree.body[0] if tree.body and isinstance(tree.body[0], ast.Expr) else None
        for node in ast.walk(tree):
            if isinstance(node, ast.Expr) and node is not docstring and not isinstance(node.value, ast.Call):
                shown.append(f"{script.name}:{node.lineno}")
    assert shown == []
