"""Every word the user reads lives in the labels package: no label is left unused, and no code asks for
a label that is not there.  Read from the source with ast, so a typo fails here rather than
in front of a user."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT

from zi_dashboard import labels as L

LABELS = ROOT / "zi_dashboard" / "labels"
SOURCES = [p for p in sorted((ROOT / "zi_dashboard").rglob("*.py")) if LABELS not in p.parents]
SOURCES += sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]
TABLES = {
    name: value
    for name, value in vars(L).items()
    if name.isupper()
    and isinstance(value, dict)
    and all(isinstance(k, str) for k in value)
    and name not in {"STATUS_COLORS"}
}


@cache  # parsed once for every table checked
def _trees():
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in SOURCES]


@cache
def string_constants() -> frozenset[str]:
    out = set()
    for _, tree in _trees():
        out |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return frozenset(out)


def label_lookups() -> list[tuple[str, str, str]]:
    """(table, key, where) for every L.TABLE["key"] and L.msg("key") with a literal key."""
    found = []
    for path, tree in _trees():
        for n in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(n, 'lineno', '?')}"
            if (
                isinstance(n, ast.Subscript)
                and isinstance(n.value, ast.Attribute)
                and isinstance(n.value.value, ast.Name)
                and n.value.value.id == "L"
                and isinstance(n.slice, ast.Constant)
                and isinstance(n.slice.value, str)
            ):
                found.append((n.value.attr, n.slice.value, where))
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr == "msg"
                and isinstance(n.func.value, ast.Name)
                and n.func.value.id == "L"
                and n.args
                and isinstance(n.args[0], ast.Constant)
            ):
                found.append(("MSG", n.args[0].value, where))
    return found


def test_there_are_label_tables():
    assert {"MSG", "UI", "CLI", "CLI_HELP", "HISTORY", "AUTH", "COL"} <= set(TABLES)


@cache
def argparse_words() -> frozenset[str]:
    """The English texts argparse itself passes to its translation functions (L.ARGPARSE's keys)."""
    import argparse

    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    return frozenset(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_label_is_used(table):
    used = argparse_words() if table == "ARGPARSE" else string_constants()
    unused = [k for k in TABLES[table] if k not in used]
    assert not unused, f"L.{table} keys that no code uses: {unused}"


def test_every_label_asked_for_exists():
    missing = [
        f"{where}: L.{table}[{key!r}]"
        for table, key, where in label_lookups()
        if table in TABLES and key not in TABLES[table]
    ]
    assert not missing, "\n".join(missing)


def test_messages_carry_their_key_across_a_process_boundary():
    import pickle

    m = L.msg("unknown_code", code="7.1", hint="")
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.key == "unknown_code"


def test_each_table_is_defined_once_whole():
    """A table is one literal in one module of the labels package: never patched later with
    .update()/.extend() or item assignment, never defined in two modules."""
    defined: dict[str, str] = {}
    patched = []
    for path in sorted(LABELS.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                patched.append(f"{path.name}:{node.lineno}")
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name):
                    assert target.id not in defined, f"{target.id} in {defined[target.id]} and {path.name}"
                    defined[target.id] = path.name
                else:
                    patched.append(f"{path.name}:{node.lineno}")
    assert not patched, f"tables changed after their definition: {patched}"
    assert {name for name in TABLES} <= set(defined)


# words only Indonesian prose has; a text with a space and one of them is a sentence a user reads
PROSE = re.compile(r"\b(yang|tidak|belum|dengan|untuk|dari|baris|kolom|berkas|dan|ada|sudah|bukan)\b", re.IGNORECASE)
EXAMPLE_DATA = ROOT / "zi_dashboard" / "reading" / "example.py"  # an office's file, as offices write it


def test_no_sentence_a_user_reads_outside_the_labels():
    found = []
    for path, tree in _trees():
        if path == EXAMPLE_DATA:
            continue
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        found += [
            f"{path.relative_to(ROOT)}:{n.lineno}: {n.value!r}"
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and id(n) not in docstrings
            and " " in n.value.strip()
            and not any(mark in n.value for mark in ("{%", "|"))  # a Word template's tag, a pattern read
            and PROSE.search(n.value)
        ]
    assert not found, "\n".join(found)
