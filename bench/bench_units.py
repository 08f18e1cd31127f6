"""Benchmark: many units, run by hand (not in CI).

    python bench/bench_units.py --pgport 54345              # build (or reuse) and measure both stores
    python bench/bench_units.py --pgport 54345 --rebuild    # build the stores again
    python bench/bench_units.py --only sqlite               # the SQLite store only (no PostgreSQL)
    python bench/bench_units.py --pgport 54345 --no-memory  # skip the browser and memory part

The stores (kept in --cache, default /var/tmp/zi-bench-units, and reused when their counts are
right; the PostgreSQL cluster's data directory lives there too and is started on --pgport and
stopped at the end):
- PostgreSQL: 550 units x 25 plan rows x 52 weekly uploads (28,600 uploads);
- SQLite: 27 units (a province) x 52 weekly uploads (1,404 uploads).
Each unit has its own plan file: the bundled data/rencana-kerja-zi-2025.csv with a title row
naming the unit ("RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN X TAHUN 2025"), added with
Store.add_plan.  Each upload is a progress file (a CSV with the unit's title and its position
date) read with read_progress against the unit's plan and saved with Store.save, as the upload
page does, by several worker processes (one unit at a time each); the store's clock is the
simulated one of the upload (a Friday's position date, uploaded the next Monday), so the
"last upload" and stale flags are those of a year of weekly work.  Progress rises week by week
with noise; some units stall (their 52 weeks end 6 to 14 weeks before the end of December:
stale), some are slow (rows overdue at the end of the year); a fifth of the units have a
self-assessment (Store.save_assessment).  Everything is seeded (SEED): the same stores each time.

Measurements, each "cold" figure the first AppTest run of app.py in a FRESH Python process
(modules imported and Streamlit warmed on a separate empty store first, as bench_history does,
so only the data's own work is timed), the median of COLD_PROCESSES processes:
- the province page (pages/provinsi.py through switch_page; a note when the page file is not
  there yet), and in any case province.portfolio(year, as_of) cold plus the tables the page
  builds of it (the unit x component matrix, the ranking) without Streamlit;
- a unit's Ringkasan and Riwayat cold (?satker=&tahun= in the address);
- memory of one real server process (streamlit run app.py) after headless Chromium has opened
  every page for 20 units: VmRSS and VmHWM from /proc/<pid>/status.
Goals: province cold <= 2 s at 550 units, Ringkasan and Riwayat cold <= 1 s,
memory < 1 GB.  Each figure is printed with its ratio to the goal.
"""

from __future__ import annotations

import argparse
import glob
import json
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 14
YEAR = 2025
AS_OF = date(2025, 12, 31)  # the province measured at the end of the plan's year
LAST_FRIDAY = date(2025, 12, 26)  # the last weekly position date of a unit that keeps going
WEEKS = 52
PG_UNITS, SQLITE_UNITS = 550, 27
ASSESSED_SHARE = 0.2
COLD_PROCESSES = 3
MEMORY_UNITS = 20
PROVINCE_GOAL_S, UNIT_GOAL_S, MEMORY_GOAL_MB = 2.0, 1.0, 1024.0
PROVINCE_PAGE = "pages/provinsi.py"
WORKPLAN_KEY = "_zi_workplan"  # app/ui/sidebar.py: the unit and year a session shows
HELLO = "import streamlit as st\nst.title('Halo')\n"
EDITORS = "bench:scrypt$16384$8$1$AAAA$AAAA"  # an editor is configured: nothing generated
BY = "Operator ZI"
PG_DB = "zi_units"

# --- units ---------------------------------------------------------------------------------------
PLACES = (  # noqa: SIM905 (a paragraph of names reads better than a list)
    "Garut Tasikmalaya Ciamis Kuningan Cirebon Majalengka Sumedang Indramayu Subang Purwakarta Karawang Bekasi "
    "Bogor Sukabumi Cianjur Bandung Pangandaran Banjar Cimahi Depok Serang Lebak Pandeglang Tangerang Cilegon "
    "Brebes Tegal Pemalang Pekalongan Batang Kendal Semarang Demak Kudus Jepara Pati Rembang Blora Grobogan "
    "Boyolali Klaten Sukoharjo Wonogiri Karanganyar Sragen Magelang Temanggung Wonosobo Purworejo Kebumen "
    "Banjarnegara Purbalingga Banyumas Cilacap Salatiga Surakarta Sleman Bantul Gunungkidul Kulon-Progo "
    "Pacitan Ponorogo Trenggalek Tulungagung Blitar Kediri Malang Lumajang Jember Banyuwangi Bondowoso "
    "Situbondo Probolinggo Pasuruan Sidoarjo Mojokerto Jombang Nganjuk Madiun Magetan Ngawi Bojonegoro Tuban "
    "Lamongan Gresik Bangkalan Sampang Pamekasan Sumenep Batu Surabaya Badung Gianyar Klungkung Bangli "
    "Karangasem Buleleng Jembrana Tabanan Denpasar Lombok Sumbawa Dompu Bima Kupang Belu Alor Ende Sikka "
    "Manggarai Ngada Sumba Agam Pasaman Solok Tanah-Datar Padang Pariaman Sijunjung Dharmasraya Pesisir "
    "Kampar Siak Bengkalis Indragiri Pelalawan Rokan Kuantan Dumai Jambi Kerinci Merangin Sarolangun Tebo "
    "Bungo Muaro-Jambi Lahat Muara-Enim Ogan Musi Banyuasin Empat-Lawang Pagar-Alam Lubuklinggau Prabumulih "
    "Palembang Bengkulu Kaur Seluma Mukomuko Lebong Kepahiang Lampung Tanggamus Pringsewu Pesawaran Mesuji "
    "Tulang-Bawang Way-Kanan Metro Sambas Bengkayang Landak Mempawah Sanggau Sintang Kapuas Ketapang Sekadau "
    "Melawi Kotawaringin Katingan Seruyan Barito Lamandau Murung-Raya Gunung-Mas Pulang-Pisau Tabalong Balangan "
    "Tapin Banjarbaru Kotabaru Tanah-Laut Paser Berau Kutai Bulungan Malinau Nunukan Tarakan Bontang Balikpapan "
    "Samarinda Minahasa Bolaang Sangihe Talaud Bitung Tomohon Kotamobagu Gorontalo Boalemo Pohuwato Banggai "
    "Poso Donggala Tolitoli Buol Morowali Parigi Sigi Palu Gowa Takalar Jeneponto Bantaeng Bulukumba Sinjai "
    "Maros Pangkajene Barru Bone Soppeng Wajo Sidenreng Pinrang Enrekang Luwu Toraja Selayar Makassar Parepare "
    "Palopo Kolaka Konawe Muna Buton Bombana Wakatobi Kendari Baubau Majene Polewali Mamasa Mamuju Ambon Buru "
    "Seram Tual Halmahera Ternate Tidore Sula Morotai Sorong Manokwari Fakfak Kaimana Jayapura Merauke Mimika "
    "Nabire Biak Yapen Sarmi Keerom Asahan Batubara Dairi Karo Labuhanbatu Langkat Nias Simalungun Toba "
    "Samosir Humbang Mandailing Tapanuli Deli Binjai Medan Pematangsiantar Sibolga Tanjungbalai Tebing-Tinggi "
    "Padangsidimpuan Gunungsitoli Pidie Bireuen Nagan-Raya Aceh Langsa Lhokseumawe Sabang Subulussalam Natuna "
    "Anambas Lingga Karimun Bintan Batam Tanjungpinang Bangka Belitung Pangkalpinang"
).split()
SUFFIXES = ["", "", "", "Utara", "Selatan", "Barat", "Timur", "Tengah", "Hulu", "Hilir", "Raya", "Pesisir"]


def unit_names(n: int) -> list[str]:
    """n plausible unit names, distinct also in their URL form; the first is the bundled unit."""
    from zi_dashboard.reading.plan import BUNDLED_UNIT
    from zi_dashboard.reading.units import unit_slug

    rnd = random.Random(SEED)
    names, slugs = [BUNDLED_UNIT], {unit_slug(BUNDLED_UNIT)}
    while len(names) < n:
        place = rnd.choice(PLACES).replace("-", " ")
        suffix = rnd.choice(SUFFIXES)
        kind = "Kota" if rnd.random() < 0.18 else "Kabupaten"
        name = " ".join(p for p in ("KPU", kind, place, suffix) if p)
        if unit_slug(name) not in slugs:
            names.append(name)
            slugs.add(unit_slug(name))
    return names


def plan_file(unit: str) -> bytes:
    """The bundled plan with a title row naming the unit and the year."""
    from zi_dashboard.reading.plan import BUNDLED_PLAN

    body = BUNDLED_PLAN.read_bytes()
    bom = b"\xef\xbb\xbf" if body.startswith(b"\xef\xbb\xbf") else b""
    title = f"RENCANA KERJA ZONA INTEGRITAS {unit.upper()} TAHUN {YEAR}\n".encode()
    return bom + title + body[len(bom) :]


def profile(index: int) -> dict:
    """A unit's behaviour, seeded by its index: speed, stall, when work starts."""
    rnd = random.Random(SEED * 1000 + index)
    kind = rnd.choices(["steady", "slow", "stalled", "fast"], weights=[60, 20, 10, 10])[0]
    speed = {
        "steady": rnd.uniform(0.9, 1.1),
        "slow": rnd.uniform(0.45, 0.75),
        "stalled": rnd.uniform(0.7, 1.0),
        "fast": rnd.uniform(1.2, 1.6),
    }[kind]
    stop_weeks = rnd.randint(6, 14) if kind == "stalled" else 0
    return {
        "kind": kind,
        "speed": speed,
        "stop_weeks": stop_weeks,
        "lead_days": rnd.randint(60, 240),
        "assessed": rnd.random() < ASSESSED_SHARE or index == 0,
    }


def fridays(stop_weeks: int) -> list[date]:
    last = LAST_FRIDAY - timedelta(weeks=stop_weeks)
    return [last - timedelta(weeks=WEEKS - 1 - k) for k in range(WEEKS)]


def progress_series(index: int, plan, prof: dict) -> list[list[float]]:
    """Per week, each plan row's progress: a ramp from (start - lead) to the row's end date at
    the unit's speed, with noise, never falling; in steps of 0.5."""
    import numpy as np

    rnd = random.Random(SEED * 7919 + index)
    starts = [d.toordinal() - prof["lead_days"] for d in plan.rows["target_start"]]
    ends = [d.toordinal() for d in plan.rows["target_end"]]
    level = np.zeros(len(starts))
    out = []
    for k, day in enumerate(fridays(prof["stop_weeks"])):
        d = day.toordinal()
        stalled = prof["kind"] == "stalled" and k >= WEEKS - 8  # the last weeks before they stopped: no change
        for r in range(len(starts)):
            ramp = min(1.0, max(0.0, (d - starts[r]) / max(1, ends[r] - starts[r])))
            aim = min(100.0, 100.0 * ramp * prof["speed"] * rnd.uniform(0.85, 1.1))
            if not stalled and aim > level[r] and rnd.random() < 0.7:
                level[r] = min(100.0, round(2 * (level[r] + (aim - level[r]) * rnd.uniform(0.5, 1.0))) / 2)
        out.append(level.tolist())
    return out


def progress_file(unit: str, plan, position: date, levels: list[float], week: int) -> bytes:
    """A unit's weekly progress report as a CSV: title, position date, one row per plan row."""
    from zi_dashboard import labels as L

    lines = [
        f"LAPORAN PROGRES ZONA INTEGRITAS {unit.upper()} TAHUN {YEAR}",
        f"Posisi: {L.fmt_date(position)}",
        "Kode;Indikator/Program;Kegiatan;PIC;Progres (%);Keterangan",
    ]
    for i, (code, indicator) in enumerate(zip(plan.rows["code"], plan.rows["indicator"], strict=True)):
        note = f"minggu ke-{week + 1}" if (i + week) % 11 == 0 else ""
        lines.append(f"{code};{indicator};Kegiatan {code};PIC {i % 6 + 1};{levels[i]:g};{note}")
    return ("\n".join(lines) + "\n").encode()


def assessment_json(index: int) -> str:
    from zi_dashboard.reading.assessment import IPAK, IPKP, KINERJA, field_codes, field_max, validate
    from zi_dashboard.reading.lke import load_lke

    lke = load_lke()
    rnd = random.Random(SEED * 31 + index)
    raw = {}
    for code in field_codes(lke):
        if code.startswith("R") and "." not in code:
            raw[code] = round(field_max(code, lke) * rnd.uniform(0.4, 1.0), 2)
    raw[IPAK], raw[IPKP] = round(rnd.uniform(2.8, 3.9), 2), round(rnd.uniform(2.8, 3.9), 2)
    raw[KINERJA] = round(field_max(KINERJA, lke) * rnd.uniform(0.5, 1.0), 2)
    found, problems = validate(raw, lke)
    assert found is not None and not problems, problems
    return found.to_json()


class _Clock(datetime):
    """The store's clock during the build: the simulated moment of the upload."""

    moment: datetime = datetime(YEAR, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.moment if tz is None else cls.moment.astimezone(tz)


def build_units(url: str, indexes: list[int], names: list[str]) -> tuple[int, float]:
    """Add the plans of these units and save their 52 uploads (a worker process)."""
    from zi_dashboard.reading.plan import plan_from_bytes
    from zi_dashboard.reading.progress import read_progress
    from zi_dashboard.storage import assessments, plans, uploads
    from zi_dashboard.storage.store import open_store

    for module in (plans, uploads, assessments):  # Store.save / add_plan / save_assessment stamp the simulated time
        module.datetime = _Clock  # type: ignore[attr-defined,misc]
    store = open_store(url)
    saved, t0 = 0, time.perf_counter()
    for index in indexes:
        unit, prof = names[index], profile(index)
        content = plan_file(unit)
        plan = plan_from_bytes(content, "rencana-kerja.csv")
        weeks = fridays(prof["stop_weeks"])
        _Clock.moment = datetime.combine(weeks[0] - timedelta(days=10), datetime.min.time(), UTC)
        slug = unit.lower().replace(" ", "-")
        wp, stored = store.add_plan(unit, YEAR, content, f"rencana-kerja-zi-{slug}-{YEAR}.csv", BY, plan)
        for k, (position, levels) in enumerate(zip(weeks, progress_series(index, plan, prof), strict=True)):
            data = progress_file(unit, plan, position, levels, k)
            reading = read_progress(data, f"progres-{slug}-{position.isoformat()}.csv", plan)
            assert reading.valid and reading.position_date == position, [p.message for p in reading.problems]
            _Clock.moment = datetime.combine(position + timedelta(days=3), datetime.min.time(), UTC) + timedelta(
                hours=2 + index % 7, minutes=index % 60
            )
            out = store.save(
                data, f"progres-{slug}-{position.isoformat()}.csv", BY, position, reading.rows, stored.id, wp.id
            )
            assert not out.duplicate
            saved += 1
        if prof["assessed"]:
            _Clock.moment += timedelta(days=1)
            store.save_assessment(assessment_json(index), "penilaian-mandiri.xlsx", BY, wp.id)
    store.dispose()
    return saved, time.perf_counter() - t0


def _build_worker(args) -> tuple[int, float]:
    return build_units(*args)


def expected_counts(n_units: int) -> dict[str, int]:
    return {
        "workplans": n_units,
        "uploads": n_units * WEEKS,
        "assessments": sum(profile(i)["assessed"] for i in range(n_units)),
    }


def counts(url: str) -> dict[str, int] | None:
    from sqlalchemy import create_engine, func, select

    from zi_dashboard.storage.schema import assessments, snapshot_figures, snapshot_summary, snapshots, workplans

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            one = lambda t: int(conn.execute(select(func.count()).select_from(t)).scalar())  # noqa: E731
            return {
                "workplans": one(workplans),
                "uploads": one(snapshots),
                "assessments": one(assessments),
                "summary_rows": one(snapshot_summary),
                "figure_rows": one(snapshot_figures),
            }
    except Exception:  # no such database or tables yet
        return None
    finally:
        engine.dispose()


def build(url: str, n_units: int, workers: int) -> float:
    """Build a store of n_units units (a new, empty database); returns the seconds it took."""
    from zi_dashboard.storage.store import open_store

    names = unit_names(n_units)
    open_store(url).dispose()  # the schema, once, before the workers start
    t = time.perf_counter()
    # the first unit first, alone: it is the store's home (the oldest work plan)
    build_units(url, [0], names)
    rest = list(range(1, n_units))
    chunks = [rest[w::workers] for w in range(workers)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        for done, seconds in pool.imap_unordered(_build_worker, [(url, c, names) for c in chunks]):
            print(f"    a worker saved {done:,} uploads in {seconds:.0f} s", flush=True)
    return time.perf_counter() - t


# --- PostgreSQL, kept in the cache --------------------------------------------------------------
class Postgres:
    """A cluster whose data directory is kept (the built store is reused); started on
    127.0.0.1:port, stopped by stop()."""

    def __init__(self, port: int, directory: Path):
        self.port, self.dir = port, directory
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]).parent
        if not (self.dir / "data" / "PG_VERSION").exists():
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir.mkdir(parents=True)
            if os.getuid() == 0:
                shutil.chown(self.dir, "postgres")
            self._pg(f"'{self.bin}/initdb' -D '{self.dir}/data' -U postgres -A trust >/dev/null")
        self._pg(
            f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -l '{self.dir}/log' "
            f'-o "-c listen_addresses=127.0.0.1 -p {port} -k {self.dir}" -w start >/dev/null'
        )

    @staticmethod
    def _pg(cmd: str) -> None:
        args = ["su", "postgres", "-s", "/bin/sh", "-c", cmd] if os.getuid() == 0 else ["sh", "-c", cmd]
        subprocess.run(args, check=True)

    def psql(self, sql: str, db: str = "postgres") -> str:
        return subprocess.run(
            [
                str(self.bin / "psql"),
                "-qtA",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def fresh_database(self, name: str) -> str:
        self.psql(f"DROP DATABASE IF EXISTS {name}")
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def size(self, name: str) -> str:
        return self.psql(f"SELECT pg_size_pretty(pg_database_size('{name}'))").strip()

    def stop(self) -> None:
        self._pg(f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -m fast -w stop >/dev/null")


def ensure_store(label: str, url: str, n_units: int, rebuild: bool, workers: int, make_empty) -> dict:
    """The store built (or found with the right counts); what was found or how long it took."""
    want = expected_counts(n_units)
    have = None if rebuild else counts(url)
    if have is not None and all(have[k] == v for k, v in want.items()) and have["summary_rows"] == have["uploads"] * 25:
        print(
            f"  {label}: built store found ({have['workplans']:,} units, {have['uploads']:,} uploads, "
            f"{have['assessments']:,} self-assessments): not built again (--rebuild to build it)"
        )
        return {"built": False}
    url = make_empty()
    print(f"  {label}: building {n_units:,} units x {WEEKS} uploads with {workers} worker processes ...", flush=True)
    seconds = build(url, n_units, workers)
    have = counts(url)
    assert all(have[k] == v for k, v in want.items()), (have, want)
    assert have["summary_rows"] == have["uploads"] * 25, have
    print(
        f"  {label}: built in {seconds:.0f} s ({have['uploads'] / seconds:.1f} uploads/s): "
        f"{have['workplans']:,} units, {have['uploads']:,} uploads, {have['assessments']:,} self-assessments, "
        f"{have['summary_rows']:,} summary rows, {have['figure_rows']:,} figure rows",
        flush=True,
    )
    return {"built": True, "seconds": seconds}


# --- measuring ------------------------------------------------------------------------------------
def _no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _warm_streamlit(warm_url: str, page: str | None, slug: str | None) -> float:
    """Import what the pages import and run the page once on the small warm store; returns
    what the first run of a new hello-world AppTest then costs (Streamlit's own start)."""
    from streamlit.testing.v1 import AppTest

    import zi_dashboard.app.ui  # noqa: F401  (imports, not data)

    AppTest.from_string(HELLO, default_timeout=60).run()
    os.environ["ZI_DATABASE_URL"] = warm_url
    warm = _app(page, slug)
    warm.run()
    _no_exception(warm)
    t = time.perf_counter()
    AppTest.from_string(HELLO, default_timeout=60).run()
    return time.perf_counter() - t


def _app(page: str | None, slug: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if slug:
        at.query_params["satker"] = slug
        at.query_params["tahun"] = str(YEAR)
    if page and page != "pages/ringkasan.py":
        at.switch_page(page)
    return at


def province_tables(p) -> dict:
    """What the province page builds of province.portfolio without Streamlit (an upper bound:
    every unit, where the page's matrix shows a page of them): the unit x component matrix as
    HTML cells (the overall figure first, each cell coloured by its standing), the ranking table
    with its figures written out, and the stale and overdue counts."""
    from html import escape

    from zi_dashboard import labels as L

    matrix = p.cells.pivot(index="unit", columns="component_code", values="completion")
    by_unit: dict[str, list[str]] = {}
    for c in p.cells.itertuples(index=False):
        by_unit.setdefault(c.unit, []).append(
            f"<td title='{escape(str(c.component))}' style='background:{L.STATUS_COLORS.get(c.standing, '#fff')}'>"
            f"{L.fmt_pct(c.completion)}<br>{L.fmt_pct(c.planned)}</td>"
        )
    html = []
    for u in p.units.itertuples(index=False):
        first = (
            (f"<td style='background:{L.STATUS_COLORS.get(u.standing, '#fff')}'>{L.fmt_pct(u.overall_completion)}</td>")
            if u.has_plan
            else "<td></td>"
        )
        html.append(f"<tr><td>{escape(u.unit)}</td>{first}{''.join(by_unit.get(u.unit, []))}</tr>")
    table = p.units.assign(
        completion=[L.fmt_pct(v) for v in p.units["overall_completion"]],
        planned=[L.fmt_pct(v) for v in p.units["overall_planned"]],
        last=[L.fmt_date(t.date()) if t is not None and t == t else "" for t in p.units["last_upload"]],
    )
    return {
        "matrix_cells": int(matrix.size),
        "html_chars": sum(map(len, html)),
        "rows": len(table),
        "stale": int(p.units["stale"].sum()),
        "overdue_units": int((p.units["overdue"] > 0).sum()),
        "assessed": int(p.units["readiness"].notna().sum()),
    }


def worker(what: str, url: str, warm_url: str, slug: str = "") -> dict:
    """One measurement in a fresh process (printed as JSON by main)."""
    os.environ["ZI_EDITORS"] = EDITORS
    if what == "portfolio":
        from zi_dashboard.app import province

        os.environ["ZI_DATABASE_URL"] = warm_url
        province_tables(province.portfolio(YEAR, AS_OF))  # imports and the code's first run, on the warm store
        os.environ["ZI_DATABASE_URL"] = url
        t = time.perf_counter()
        p = province.portfolio(YEAR, AS_OF)
        t_portfolio = time.perf_counter() - t
        t = time.perf_counter()
        info = province_tables(p)
        return {
            "cold": time.perf_counter() - t + t_portfolio,
            "portfolio": t_portfolio,
            "tables": time.perf_counter() - t,
            **info,
        }
    page = what
    fresh = _warm_streamlit(warm_url, page, os.environ.get("ZI_WARM_SLUG") if page != PROVINCE_PAGE else None)
    os.environ["ZI_DATABASE_URL"] = url
    at = _app(page, slug or None)
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    _no_exception(at)
    warm = []
    for _ in range(3):
        t = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t)
        _no_exception(at)
    listed = len(at.dataframe[0].value) if page == "pages/riwayat.py" else None
    try:
        shown = at.session_state[WORKPLAN_KEY]
    except KeyError:
        shown = None
    return {
        "cold": cold,
        "warm": statistics.median(warm),
        "fresh": fresh,
        "listed": listed,
        "unit": shown.unit if shown else "",
    }


def worker_run(what: str, url: str, warm_url: str, slug: str = "") -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", what, url, warm_url, slug], capture_output=True, text=True, cwd=ROOT
    )
    if out.returncode != 0:
        raise SystemExit(f"worker failed ({what}, {url}, {slug}):\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def verdict(ratio: float) -> str:
    return "OK" if ratio <= 1 else "OVER"


def line(label: str, seconds: float, goal: float, extra: str = "") -> None:
    r = seconds / goal
    print(
        f"  {label:<44}{seconds * 1000:>9.0f} ms   goal <= {goal * 1000:.0f} ms   ratio {r:5.2f}  "
        f"{verdict(r)}{('   ' + extra) if extra else ''}",
        flush=True,
    )


def measure_all(stores: list, args, cache: Path) -> None:
    from zi_dashboard.reading.units import unit_slug
    from zi_dashboard.storage.store import open_store

    names = unit_names(PG_UNITS)
    warm_path = cache / "warm3.sqlite"
    warm_url = f"sqlite:///{warm_path}"
    if counts(warm_url) != {**expected_counts(3), "summary_rows": 3 * WEEKS * 25, "figure_rows": 3 * WEEKS * 7}:
        for f in (warm_path, Path(f"{warm_path}-wal"), Path(f"{warm_path}-shm")):
            f.unlink(missing_ok=True)
        open_store(warm_url).dispose()
        build_units(warm_url, [0, 1, 2], names)
    os.environ["ZI_WARM_SLUG"] = unit_slug(names[1])  # the workers warm on this unit
    has_province = (ROOT / PROVINCE_PAGE).exists()
    for label, url, n, size in stores:
        print(
            f"\n{label}: {n} units x {WEEKS} weekly uploads ({n * WEEKS:,}), database {size}; "
            f"cold = first run in a fresh process, median of {COLD_PROCESSES} processes",
            flush=True,
        )
        print(f"  load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        picks = [names[(n * (k + 1)) // (COLD_PROCESSES + 1)] for k in range(COLD_PROCESSES)]  # spread over the units
        runs = {"portfolio": [], "ringkasan": [], "riwayat": [], "province": []}
        for k in range(COLD_PROCESSES):
            runs["portfolio"].append(worker_run("portfolio", url, warm_url))
            slug = unit_slug(picks[k])
            runs["ringkasan"].append(worker_run("pages/ringkasan.py", url, warm_url, slug))
            runs["riwayat"].append(worker_run("pages/riwayat.py", url, warm_url, slug))
            assert runs["riwayat"][-1]["listed"] == WEEKS, runs["riwayat"][-1]
            for kind in ("ringkasan", "riwayat"):  # the unit asked for in the address is the one shown
                assert runs[kind][-1]["unit"] == picks[k], (runs[kind][-1]["unit"], picks[k])
            if has_province:
                runs["province"].append(worker_run(PROVINCE_PAGE, url, warm_url))
        med = {
            k: {f: statistics.median(r[f] for r in v) for f in v[0] if isinstance(v[0][f], float)}
            for k, v in runs.items()
            if v
        }
        p = runs["portfolio"][0]
        if has_province:
            line(
                f"province page cold ({n} units)",
                med["province"]["cold"],
                PROVINCE_GOAL_S,
                f"warm {med['province']['warm'] * 1000:.0f} ms",
            )
        else:
            print(
                f"  note: {PROVINCE_PAGE} is not there yet: the province page itself is not measured; "
                "province.portfolio and the tables the page builds of it are:"
            )
        line(
            f"province data cold ({n} units)",
            med["portfolio"]["cold"],
            PROVINCE_GOAL_S,
            f"portfolio {med['portfolio']['portfolio'] * 1000:.0f} ms + tables "
            f"{med['portfolio']['tables'] * 1000:.0f} ms",
        )
        print(
            f"    ({p['rows']} units, {p['matrix_cells']:,} matrix cells, {p['overdue_units']} with rows overdue, "
            f"{p['stale']} stale at {AS_OF}, {p['assessed']} with a self-assessment)"
        )
        line(
            "unit Ringkasan cold",
            med["ringkasan"]["cold"],
            UNIT_GOAL_S,
            f"warm {med['ringkasan']['warm'] * 1000:.0f} ms",
        )
        line(
            "unit Riwayat cold",
            med["riwayat"]["cold"],
            UNIT_GOAL_S,
            f"warm {med['riwayat']['warm'] * 1000:.0f} ms; lists {WEEKS} uploads",
        )
        fresh = statistics.median(r["fresh"] for k in ("ringkasan", "riwayat") for r in runs[k])
        print(
            f"    (units: {', '.join(picks)}; a new hello-world AppTest's first run costs "
            f"{fresh * 1000:.0f} ms of these cold figures)"
        )
        if label == "PostgreSQL" and not args.no_memory:
            shots = cache / "screenshots"
            shots.mkdir(exist_ok=True)
            memory(url, [names[(k * PG_UNITS) // MEMORY_UNITS] for k in range(MEMORY_UNITS)], has_province, shots)
            print(f"  (screenshots of the last unit's Ringkasan and Riwayat in {shots})")


def status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    out = {}
    for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = ln.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


MEMORY_PAGES = ["", "linimasa", "terlambat", "tabel", "riwayat", "kesiapan", "unggah", "rapat"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'


def memory(url: str, units: list[str], has_province: bool, shots: Path | None = None) -> None:
    """One server process (streamlit run app.py on the store); headless Chromium opens every
    page for each unit (?satker=&tahun=), one browser tab, each page waited for until its
    script has finished; then the server's resident memory.  `shots`: where to put screenshots
    of the last unit's Ringkasan and Riwayat."""
    from playwright.sync_api import sync_playwright

    from zi_dashboard.reading.units import unit_slug

    sys.path.insert(0, str(ROOT / "tests"))
    from streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    pages = MEMORY_PAGES + (["provinsi"] if has_province else [])
    print(
        f"\n  memory: one server process, headless Chromium opening {len(pages)} pages x {len(units)} units "
        f"({len(pages) * len(units)} page loads)",
        flush=True,
    )
    server = StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": url, "ZI_EDITORS": EDITORS})
    with server:
        pid = server.proc.pid
        start = status_mb(pid)
        loads, t0 = 0, time.perf_counter()
        slowest = (0.0, "")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
            page.set_default_timeout(120_000)
            for unit in units:
                for path in pages:
                    address = f"{server.url}/{path}?satker={unit_slug(unit)}&tahun={YEAR}"
                    t = time.perf_counter()
                    page.goto(address)
                    page.wait_for_timeout(300)
                    page.wait_for_selector(IDLE)
                    page.wait_for_selector(f"h1, h2, {EXCEPTION}")  # the page's own title: its script ran
                    page.wait_for_selector(IDLE)
                    if page.query_selector(EXCEPTION):
                        raise SystemExit(
                            f"{address}: the page shows an exception:\n{page.inner_text(EXCEPTION)[:2000]}"
                        )
                    slowest = max(slowest, (time.perf_counter() - t, f"/{path} {unit}"))
                    if shots is not None and unit == units[-1] and path in ("", "riwayat"):
                        page.screenshot(path=str(shots / f"unit-{path or 'ringkasan'}.png"), full_page=True)
                    loads += 1
                after_unit = status_mb(pid)
            browser.close()
        seconds = time.perf_counter() - t0
        time.sleep(2)
        end = status_mb(pid)
    rss, hwm = end["VmRSS"], end["VmHWM"]
    print(f"  server at start: VmRSS {start['VmRSS']:.0f} MB; after the last unit: VmRSS {after_unit['VmRSS']:.0f} MB")
    print(
        f"  {loads} page loads in {seconds:.0f} s ({seconds / loads:.2f} s each, the slowest "
        f"{slowest[0]:.1f} s: {slowest[1]})"
    )
    for key, value in (("VmRSS", rss), ("VmHWM", hwm)):
        r = value / MEMORY_GOAL_MB
        print(
            f"  server process {key} after {len(units)} units{'':<9}{value:>7.0f} MB   goal < "
            f"{MEMORY_GOAL_MB:.0f} MB   ratio {r:5.2f}  {verdict(r)}",
            flush=True,
        )


# --- main ---------------------------------------------------------------------------------------------
def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(*sys.argv[2:])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pgport", type=int, default=None, help="PostgreSQL port (none: the SQLite store only)")
    ap.add_argument("--only", choices=["pg", "sqlite"], default=None)
    ap.add_argument("--cache", type=Path, default=Path("/var/tmp/zi-bench-units"))
    ap.add_argument("--rebuild", action="store_true", help="build the stores again")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--workers", type=int, default=2, help="processes saving uploads while building")
    ap.add_argument("--no-memory", action="store_true", help="skip the server memory measurement")
    args = ap.parse_args()
    print(
        f"machine load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
        f"(1, 5, 15 min; {os.cpu_count()} cores)"
    )
    args.cache.mkdir(parents=True, exist_ok=True)
    stores = []
    pg = None
    try:
        if args.only != "pg":
            path = args.cache / "units27.sqlite"
            url = f"sqlite:///{path}"

            def empty_sqlite(path=path, url=url):
                for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    f.unlink(missing_ok=True)
                return url

            print("Stores")
            ensure_store("SQLite", url, SQLITE_UNITS, args.rebuild, args.workers, empty_sqlite)
            stores.append(("SQLite", url, SQLITE_UNITS, f"{path.stat().st_size / 2**20:.0f} MB"))
        if args.only != "sqlite":
            if args.pgport is None:
                raise SystemExit("--pgport is needed for the PostgreSQL store (or --only sqlite)")
            pg = Postgres(args.pgport, args.cache / "pg")
            print("Stores") if not stores else None
            built = ensure_store(
                "PostgreSQL", pg.url(PG_DB), PG_UNITS, args.rebuild, args.workers, lambda: pg.fresh_database(PG_DB)
            )
            if built["built"]:
                pg.psql("VACUUM ANALYZE", PG_DB)  # no autovacuum of the build during a measurement
            stores.append(("PostgreSQL", pg.url(PG_DB), PG_UNITS, pg.size(PG_DB)))
        for label, _, n, size in stores:
            print(f"  {label}: {n} units, database size {size}")
        if args.build_only:
            return 0
        measure_all(stores, args, args.cache)
    finally:
        if pg:
            pg.stop()
    print(f"machine load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
