"""Migrations with Alembic, on SQLite and PostgreSQL: the revisions give exactly the tables of
storage/schema.py; a store made by every schema released before Alembic (versions 1 to 11,
tests/storage/fixtures/schema_N.<dialect>.sql) is recognised by its zi_schema, stamped at its
version, upgraded to head with its data kept; two processes opening an old store at once
upgrade it once."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from zi_dashboard.storage import migrations
from zi_dashboard.storage.engine import open_engine, write
from zi_dashboard.storage.records import Workplan
from zi_dashboard.storage.schema import metadata
from zi_dashboard.storage.store import open_store

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VERSIONS = range(1, migrations.LAST_LEGACY_VERSION + 1)
PLAN_1 = b"\n".join((ROOT / "data" / "rencana-kerja-zi-2025.csv").read_bytes().splitlines()[:4]) + b"\n"
PLAN_2 = PLAN_1.replace(b";Oktober 2025;", b";November 2025;")


def load_legacy_store(url: str, version: int) -> None:
    """Write the store schema `version` left (its fixture, for this URL's database)."""
    engine = sa.create_engine(url)
    sql = (FIXTURES / f"schema_{version}.{engine.dialect.name}.sql").read_text(encoding="utf-8")
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            raw.driver_connection.executescript(sql)  # type: ignore[union-attr]
        else:
            with raw.cursor() as cur:
                cur.execute(sql)
            raw.commit()
    finally:
        raw.close()
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_head_is_the_one_newest_revision_after_the_old_versions():
    script = ScriptDirectory.from_config(migrations.config())
    assert script.get_heads() == [migrations.head()]
    chain = [r.revision for r in script.walk_revisions("base", "heads")][::-1]  # oldest first
    assert chain[:12] == [f"{v:04d}" for v in range(1, 13)]  # versions 1..11, then zi_schema goes
    assert chain[-1] == migrations.head()


def test_revisions_from_nothing_give_exactly_the_schema(store_url):
    """Every revision run on an empty database gives the tables, columns, indexes and constraints
    of schema.py, as a new store gets them at once (create_all, stamped at head)."""
    engine = open_engine(store_url)
    with write(engine) as conn:
        command.upgrade(migrations.config(conn), "head")
    with engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []
    st = open_store(store_url)  # stamped at head: nothing to do
    assert st.schema_revision() == migrations.head() and st.uploads() == []
    st.dispose()


def test_a_new_store_is_made_at_head(store_url):
    st = open_store(store_url)
    assert st.schema_revision() == migrations.head()
    assert "zi_schema" not in tables(store_url)
    st.dispose()
    st = open_store(store_url)  # a second start changes nothing
    assert st.schema_revision() == migrations.head()
    st.dispose()


def figure_rows(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM zi_snapshot_figures ORDER BY snapshot_id, part")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_store_of_every_old_version_upgrades_with_its_data(store_url, version):
    load_legacy_store(store_url, version)
    kept_figures = figure_rows(store_url) if version >= 4 else None
    st = open_store(store_url)
    assert st.schema_revision() == migrations.head()
    assert "zi_schema" not in tables(store_url)
    # the uploads, their rows and what is in use (the second upload, restored)
    nov = date(2025, 11, 28) if version >= 6 else date(2025, 11, 30)
    assert [(s.id, s.filename, s.position_date, s.uploaded_by) for s in st.uploads()] == [
        (3, "progres-des.csv", date(2025, 12, 15), "Sekretaris"),
        (2, "progres-nov.csv", nov, "Sekretaris"),
        (1, "progres-okt.csv", date(2025, 10, 31), "Sekretaris"),
    ]
    assert [(e.id, e.kind, e.snapshot_id) for e in st.events()] == [
        (1, "upload", 1),
        (2, "upload", 2),
        (3, "upload", 3),
        (4, "restore", 2),
    ]
    assert st.current_id() == (4, 2)
    first = st.snapshot(1, content=True)
    assert hashlib.sha256(first.content).hexdigest() == first.sha256
    assert st.rows(1)[["code", "progress", "notes"]].values.tolist() == [
        ["1.1", 100.0, "progres-okt.csv"],
        ["1.2", 20.0, "progres-okt.csv"],
        ["1.3", 10.0, "progres-okt.csv"],
    ]
    # the work plan: what the store held became KPU Kota Tasikmalaya's 2025, both plan versions
    assert st.workplans() == [Workplan("KPU Kota Tasikmalaya", 2025, 1)]
    assert st.latest_plan(1).sha256 == hashlib.sha256(PLAN_2).hexdigest()
    assert st.snapshot(3).plan_id == 2 and st.plan(1).sha256 == hashlib.sha256(PLAN_1).hexdigest()
    with st.engine.connect() as conn:
        for table in ("zi_snapshots", "zi_events", "zi_assessments"):
            assert conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE workplan_id IS NULL")).scalar() == 0
        assert conn.execute(sa.text("SELECT COUNT(*) FROM zi_plans WHERE parsed IS NULL")).scalar() == 0
    # each upload's figures: kept as they were (built by revision 0004 for older stores), and
    # as the kept rows give them
    figures = figure_rows(store_url)
    assert figures and {f[0] for f in figures} == {1, 2, 3}
    if kept_figures is not None:
        assert figures == kept_figures
    st.rebuild_summaries()
    assert figure_rows(store_url) == figures
    # what later versions brought, kept from the version that brought it
    assert st.stored_editors() == ({"admin": "scrypt$16384$8$1$c2FsdA==$aGFzaA=="} if version >= 2 else {})
    assert st.login_keys("editor:admin") == (["editor:admin@10.0.0.7"] if version >= 3 else [])
    assert [(a.id, a.values) for a in st.assessments(1)] == ([(1, '{"R1": 1.5, "IPAK": 3.6}')] if version >= 5 else [])
    assert [(c.snapshot_id, c.position_date, c.previous) for c in st.corrections(1)] == (
        [(2, date(2025, 11, 28), date(2025, 11, 30))] if version >= 6 else []
    )
    assert st.latest_contacts_id(1) == (1 if version >= 9 else None)
    assert st.session_editor("a" * 64, time.time()) == ("admin" if version >= 10 else None)
    assert len(st.lke_answer_sets(1, "unit")) == (1 if version >= 11 else 0)
    # and the store goes on: new ids follow the old ones (PostgreSQL's sequences came along)
    saved = st.save(b"Kode;Progres\n1.1;100\n", "baru.csv", "Sekretaris", date(2025, 12, 20), st.rows(3), 2, 1)
    assert (saved.snapshot.id, st.current_id(1)) == (4, (5, 4))
    assert st.save_assessment("{}", "x", "Ketua", 1).id == (2 if version >= 5 else 1)
    st.dispose()


WORKER = """
import sys, time
from zi_dashboard.storage.store import open_store
start = float(sys.argv[2])
while time.time() < start:  # both processes open the store at the same moment
    time.sleep(0.001)
st = open_store(sys.argv[1])
print(st.schema_revision(), len(st.workplans()))
"""


@pytest.mark.slow
def test_two_processes_upgrading_one_old_store_at_once(store_url):
    load_legacy_store(store_url, 6)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = str(time.time() + 3)
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, store_url, start], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [w.communicate(timeout=120)[0].split() for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    assert outs == [[migrations.head(), "1"]] * 2
    st = open_store(store_url)
    with st.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM zi_workplan_plans")).scalar() == 2
        assert conn.execute(sa.text("SELECT COUNT(*) FROM alembic_version")).scalar() == 1
    assert len(st.events()) == 4 and len(st.uploads()) == 3
    st.dispose()


def test_a_database_with_the_tables_but_no_revision_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'zi.sqlite'}"
    open_store(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="no record of their revision"):
        open_store(url)


@pytest.mark.slow
def test_alembic_s_command_line_reads_the_store_of_zi_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'zi.sqlite'}"
    open_store(url).dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZI_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "zi_dashboard.storage.migrations", "current"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [migrations.head(), "(head)"]
