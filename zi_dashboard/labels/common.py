"""Words used everywhere: the app and unit names, statuses and their colours, months, table columns, number and date formatting."""

from __future__ import annotations

from datetime import date

APP_TITLE = "Dashboard Zona Integritas"
UNIT_NAME = "KPU Kota Tasikmalaya"

# --- statuses (docs/counting.md: the first that applies) ----------------------------------
DONE = "Selesai"
OVERDUE = "Terlambat"
NOT_STARTED = "Belum mulai"
BEHIND = "Tertinggal"
ON_TRACK = "Sesuai jadwal"
STATUS_ORDER = [DONE, ON_TRACK, BEHIND, OVERDUE, NOT_STARTED]

# Okabe-Ito derived palette: distinguishable with the common colour-vision deficiencies.
STATUS_COLORS = {
    DONE: "#009E73",  # bluish green
    ON_TRACK: "#0072B2",  # blue
    BEHIND: "#E69F00",  # amber / orange
    OVERDUE: "#D55E00",  # vermillion (red)
    NOT_STARTED: "#8C8C8C",  # grey
}

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
WEEKDAYS_SHORT = ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"]  # from Sunday, as calendars head their weeks

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

# --- column labels as shown in tables, exports and the template -----------------------------
COL = {
    "code": "Kode",
    "component": "Komponen",
    "indicator": "Indikator/Program",
    "action": "Rencana Aksi",
    "activity": "Kegiatan",
    "target": "Target Waktu",
    "target_start": "Mulai",
    "target_end": "Batas Akhir",
    "pic": "PIC",
    "progress": "Progres (%)",
    "planned": "Rencana (%)",
    "status": "Status",
    "status_reported": "Status (laporan)",
    "evidence": "Bukti Dukung",
    "notes": "Keterangan",
    "days_overdue": "Hari Terlambat",
    "rows": "Jumlah Kegiatan",
    "completion": "Capaian (%)",
    "indicators": "Jumlah Indikator",
    "done": "Selesai",
    "overdue": "Terlambat",
    "row": "Baris",
    "column": "Kolom",
    "message": "Masalah",
}
ERROR = "Kesalahan"
WARNING = "Peringatan"
# a TRUE/FALSE cell as Excel in Indonesian shows it
EXCEL_TRUE = "BENAR"
EXCEL_FALSE = "SALAH"


# --- formatting -------------------------------------------------------------------------
def fmt_number(x: float | None, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5' (Indonesian separators). None -> '–'."""
    if x is None:
        return "–"
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(x: float | None, decimals: int = 1) -> str:
    return "–" if x is None else fmt_number(x, decimals) + "%"


def fmt_date(d: date | None) -> str:
    if d is None:
        return "–"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def fmt_signed_pct(x: float | None) -> str:
    if x is None:
        return "–"
    sign = "+" if x > 0 else ("−" if x < 0 else "±")
    return sign + fmt_number(abs(x)) + " poin"


# --- the change since the previous upload: one rule, one wording (counting/history.py) ----------
SINCE_PREVIOUS = {
    "note": "Perubahan dibanding unggahan #{id} ({file}, posisi {date}): tiap unggahan dihitung per tanggal posisinya sendiri, seperti yang terlihat di rapat saat itu.",
    "column": "Perubahan sejak unggahan sebelumnya",
}


def fmt_signed_count(x: int | float) -> str:
    """A change of a count: +3, ±0, −2."""
    x = int(x)
    return f"+{x}" if x > 0 else ("±0" if x == 0 else f"−{-x}")
