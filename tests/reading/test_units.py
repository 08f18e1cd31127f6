"""Units (satuan kerja) and years as offices write them in titles and file names, and the titles
the readers keep (plan and progress, .xlsx with merged title rows and .csv)."""

from __future__ import annotations

import builders as B
import pytest

from zi_dashboard.reading import sandbox
from zi_dashboard.reading.plan import load_plan, read_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.units import canonical_unit, match_unit, unit_slug, unit_year_from_lines, year_from_text

TASIK, GARUT, JABAR = "KPU Kota Tasikmalaya", "KPU Kabupaten Garut", "KPU Provinsi Jawa Barat"


# --- canonical_unit ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, unit",
    [
        ("KPU Kota Tasikmalaya", TASIK),
        ("KPU KOTA TASIKMALAYA", TASIK),
        ("kpu kota tasikmalaya", TASIK),
        ("Komisi Pemilihan Umum Kota Tasikmalaya", TASIK),
        ("KOMISI PEMILIHAN UMUM (KPU) KOTA TASIKMALAYA", TASIK),
        ("KPU   Kota\u00a0 Tasikmalaya ", TASIK),
        ("Sekretariat KPU Kota Tasikmalaya", TASIK),
        ("RENCANA KERJA ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2025", TASIK),
        ("RENCANA KERJA ZI KPU KOTA TASIKMALAYA TA 2026", TASIK),
        ("RENCANA KERJA ZI KPU KOTA TASIKMALAYA T.A. 2026", TASIK),
        ("PEMBANGUNAN ZI KPU KOTA TASIKMALAYA MENUJU WBK", TASIK),
        ("KPU Kota Tasikmalaya 2025", TASIK),
        ("KPU Kota Tasikmalaya, Jawa Barat", TASIK),
        ("KPU KOTA TASIKMALAYA PROVINSI JAWA BARAT", TASIK),
        ("KPU KOTA TASIKMALAYA JAWA BARAT", TASIK),
        ("KPU Kota Tasikmalaya (Posisi 15/11/2025)", TASIK),
        ("KPU Kota Tasikmalaya - Laporan Progres", TASIK),
        ("Laporan KPU Kota Tasikmalaya dan KPU Kabupaten Garut", TASIK),
        ("KPU Kabupaten Garut", GARUT),
        ("KPU Kab. Garut", GARUT),
        ("KPU KAB GARUT", GARUT),
        ("KPU Kab.Garut", GARUT),
        ("LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2026", GARUT),
        ("KPUD Kabupaten Garut", GARUT),
        ("KPU Provinsi Jawa Barat", JABAR),
        ("KPU Prov. Jawa Barat", JABAR),
        ("KPU PROPINSI JAWA BARAT", JABAR),
        ("KPU Jawa Barat", JABAR),
        ("KPU Jabar", JABAR),
        ("KPU PROVINSI KEPULAUAN BANGKA BELITUNG", "KPU Provinsi Kepulauan Bangka Belitung"),
        ("KPU Provinsi Bangka Belitung", "KPU Provinsi Kepulauan Bangka Belitung"),
        ("KPU PROVINSI DKI JAKARTA", "KPU Provinsi DKI Jakarta"),
        ("KPU Provinsi D.K.I. Jakarta", "KPU Provinsi DKI Jakarta"),
        ("KPU DIY", "KPU Provinsi DI Yogyakarta"),
        ("KPU Daerah Istimewa Yogyakarta", "KPU Provinsi DI Yogyakarta"),
        ("KPU Kota Yogyakarta", "KPU Kota Yogyakarta"),  # the city, not the province
        ("KPU PROVINSI NUSA TENGGARA TIMUR TAHUN 2025", "KPU Provinsi Nusa Tenggara Timur"),
        ("KPU Kota Administrasi Jakarta Pusat", "KPU Kota Jakarta Pusat"),
        ("KPU KABUPATEN LIMA PULUH KOTA TAHUN 2025", "KPU Kabupaten Lima Puluh Kota"),
        ("KPU Kabupaten Pangkajene dan Kepulauan", "KPU Kabupaten Pangkajene dan Kepulauan"),
        ("KPU KOTA BAU-BAU", "KPU Kota Bau-Bau"),
        ("KPU Kabupaten Kotabaru", "KPU Kabupaten Kotabaru"),  # Kota inside a word is no level
        ("KPU Kabupaten Bandung Barat", "KPU Kabupaten Bandung Barat"),
    ],
)
def test_canonical_unit(text, unit):
    assert canonical_unit(text) == unit


@pytest.mark.parametrize(
    "text",
    [
        "KPU",
        "Komisi Pemilihan Umum",
        "KPU RI",
        "KPU Kota",
        "KPU Kabupaten 2025",
        "KPU Garut",  # Kota or Kabupaten? not said
        "KPU Tasikmalaya",  # there are both
        "Kota Tasikmalaya",  # no KPU: a place, not a unit
        "RENCANA KERJA ZONA INTEGRITAS TAHUN 2025",
        "",
        "   ",
    ],
)
def test_no_unit(text):
    assert canonical_unit(text) is None


# --- years ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, year",
    [
        ("RENCANA KERJA ZI KPU KOTA TASIKMALAYA TAHUN 2025", 2025),
        ("TA 2026", 2026),
        ("T.A. 2026", 2026),
        ("TA.2026", 2026),
        ("Tahun Anggaran 2026", 2026),
        ("tahun: 2027", 2027),
        ("RENCANA KERJA ZI 2025", 2025),
        ("Posisi 15/10/2025 - RENCANA KERJA TAHUN 2026", 2026),  # a title's year wins over a date
        ("Posisi: 15 November 2025, Tahun 2026", 2026),
        ("Rencana Kerja ZI 2025 menuju WBK 2026", 2025),  # the first bare year
        ("progres_kab_garut_2026.xlsx", 2026),
    ],
)
def test_year_from_text(text, year):
    assert year_from_text(text) == year


@pytest.mark.parametrize(
    "text",
    [
        "Posisi 15/10/2025",
        "Posisi: 15 November 2025",
        "per 2025-10-15",
        "Laporan bulan Oktober 2025",
        "15-10-2025",
        "Nomor 2025/PL.01-Kpt/06/2025",
        "RENCANA KERJA ZI",
        "Rp 12.500.000",
        "",
    ],
)
def test_years_only_in_dates_or_none_give_none(text):
    assert year_from_text(text) is None


def test_unit_year_from_lines():
    lines = [
        "LAPORAN PROGRES RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS (ZI)",
        "KPU KABUPATEN GARUT",
        "Posisi: 15 November 2026",
        "TAHUN 2026",
    ]
    assert unit_year_from_lines(lines) == (GARUT, 2026)
    # the unit over two lines; only a date: no year
    assert unit_year_from_lines(["KOMISI PEMILIHAN UMUM", "KOTA TASIKMALAYA", "Posisi 15/11/2025"]) == (TASIK, None)
    assert unit_year_from_lines([]) == (None, None)
    assert unit_year_from_lines(B.TITLE_ROWS[0] + B.TITLE_ROWS[1] + B.TITLE_ROWS[2]) == (TASIK, None)


# --- slugs ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, slug",
    [
        (TASIK, "kota-tasikmalaya"),
        (GARUT, "kabupaten-garut"),
        (JABAR, "provinsi-jawa-barat"),
        ("KPU Provinsi DKI Jakarta", "provinsi-dki-jakarta"),
        ("KPU Kabupaten Pangkajene dan Kepulauan", "kabupaten-pangkajene-dan-kepulauan"),
        ("KPU Kota Bau-Bau", "kota-bau-bau"),
        ("  KPU  Kota   Tasikmalaya ", "kota-tasikmalaya"),
        ("KPU Kota Tásikmalaya", "kota-tasikmalaya"),
    ],
)
def test_unit_slug(name, slug):
    assert unit_slug(name) == slug


def test_slugs_of_distinct_units_differ():
    units = [
        "KPU Kota Bandung",
        "KPU Kabupaten Bandung",
        "KPU Kabupaten Bandung Barat",
        TASIK,
        "KPU Kabupaten Tasikmalaya",
        GARUT,
        JABAR,
    ]
    assert len({unit_slug(u) for u in units}) == len(units)


# --- matching titles and file names ---------------------------------------------------------------
KNOWN = [
    TASIK,
    "KPU Kabupaten Tasikmalaya",
    GARUT,
    JABAR,
    "KPU Kota Bandung",
    "KPU Kabupaten Bandung",
    "KPU Kabupaten Bandung Barat",
]


@pytest.mark.parametrize(
    "text, unit",
    [
        ("LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2026", GARUT),
        ("RENCANA KERJA ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2025", TASIK),
        ("progres_kab_garut_2026.xlsx", GARUT),
        ("Kota Tasikmalaya - Progres.xlsx", TASIK),
        ("kota-tasikmalaya.csv", TASIK),
        ("KAB_TASIKMALAYA_progres.xlsx", "KPU Kabupaten Tasikmalaya"),
        ("KotaBandung.xlsx", "KPU Kota Bandung"),
        ("Progres ZI Kab. Bandung Barat (final).xlsx", "KPU Kabupaten Bandung Barat"),
        ("progres kab bandung.xlsx", "KPU Kabupaten Bandung"),
        ("garut.xlsx", GARUT),  # one Garut known: no level needed
        ("Prov Jawa Barat/Progres Oktober.xlsx", JABAR),
        ("KPU Kota Tasikmalaya/Progres.xlsx", TASIK),
        ("Kota Tasikmalaya - Jawa Barat.xlsx", TASIK),  # the level written beats the province's bare name
    ],
)
def test_match_unit(text, unit):
    assert match_unit(text, KNOWN) == unit


@pytest.mark.parametrize(
    "text",
    [
        "bandung.xlsx",  # Kota or Kabupaten Bandung: ambiguous
        "Progres Tasikmalaya.xlsx",  # Kota or Kabupaten Tasikmalaya
        "progres kota garut.xlsx",  # Garut is a Kabupaten: Kota Garut is no known unit
        "LAPORAN PROGRES ZI KPU KOTA BOGOR TAHUN 2026",  # a unit in full that is not known
        "Progres Kota Tasikmalaya dan Kabupaten Garut.xlsx",  # two units named equally
        "progres.xlsx",
        "rekap KPU.xlsx",
        "",
    ],
)
def test_no_match(text):
    assert match_unit(text, KNOWN) is None


def test_match_keeps_the_known_spelling():
    assert match_unit("kota-tasikmalaya.csv", ["kpu kota tasikmalaya"]) == "kpu kota tasikmalaya"
    assert match_unit("KPU KOTA TASIKMALAYA TAHUN 2025", ["KPU Kota Tasikmalaya"]) == TASIK
    assert match_unit("kota tasikmalaya", []) is None


# --- titles from the readers ----------------------------------------------------------------------
PLAN_HEADER = ["Kode", "Komponen", "Indikator/Program", "Rencana Aksi", "Target Waktu"]


def plan_rows() -> list[list]:
    return [PLAN_HEADER] + [[c, comp, ind, f"Aksi {c}", target] for c, comp, ind, target in B.PLAN]


PLAN_TITLE = [["RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS"], ["KPU KOTA TASIKMALAYA"], ["TAHUN 2026"], []]


def test_plan_title_from_xlsx_with_merged_title_rows():
    data = B.xlsx(PLAN_TITLE + plan_rows(), merges=["A1:E1", "A2:E2", "A3:E3"])
    plan = read_plan(data, "rencana.xlsx")
    assert plan.title_lines == ["RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS", "KPU KOTA TASIKMALAYA", "TAHUN 2026"]
    assert plan.title == "RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2026"
    assert unit_year_from_lines(plan.title_lines) == (TASIK, 2026)
    assert (canonical_unit(plan.title), year_from_text(plan.title)) == (TASIK, 2026)


def test_plan_title_from_csv_with_title_rows():
    data = B.csv_bytes(PLAN_TITLE + plan_rows(), sep=";")
    plan = read_plan(data, "rencana.csv")
    assert plan.title == "RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS KPU KOTA TASIKMALAYA TAHUN 2026"
    assert (canonical_unit(plan.title), year_from_text(plan.title)) == (TASIK, 2026)
    untitled = read_plan(B.csv_bytes(plan_rows(), sep=";"), "rencana.csv")
    assert untitled.title == "" and untitled.title_lines == []


PROGRESS_TITLE = [["LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2026"], ["Posisi: 15 November 2025"], []]


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def test_progress_title_from_xlsx_with_merged_title_rows(plan):
    data = B.xlsx(PROGRESS_TITLE + B.standard_rows(default=50), merges=["A1:J1", "A2:J2"])
    report = read_progress(data, "progres.xlsx", plan)
    assert report.valid
    assert report.title == "LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2026 Posisi: 15 November 2025"
    assert report.title_lines == ["LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2026", "Posisi: 15 November 2025"]
    assert match_unit(report.title, KNOWN) == GARUT
    assert year_from_text(report.title) == 2026
    # the same through the child process: the title crosses the process boundary
    outside = sandbox.read_progress(data, "progres.xlsx", plan)
    assert outside.title == report.title and outside.title_lines == report.title_lines


def test_progress_title_from_csv(plan):
    data = B.csv_bytes(PROGRESS_TITLE + B.standard_rows(default=50), sep=";", pad=False)
    report = read_progress(data, "progres.csv", plan)
    assert report.valid
    assert unit_year_from_lines(report.title_lines) == (GARUT, 2026)


def test_progress_without_title(plan):
    report = read_progress(B.xlsx(B.standard_rows(default=50)), "progres.xlsx", plan)
    assert report.valid and report.title == "" and report.title_lines == []
