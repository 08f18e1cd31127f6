"""Every word the user reads, in Bahasa Indonesia, kept in one place.

Code and identifiers are English; the strings below are what pages, exports, the CLI and
validation messages show.  Nothing else in the package should hold user-facing prose.
"""
from __future__ import annotations

from datetime import date

APP_TITLE = "Dashboard Zona Integritas"
UNIT_NAME = "KPU Kota Tasikmalaya"

# --- statuses (domain.md: the first that applies) -----------------------------------------
DONE = "Selesai"
OVERDUE = "Terlambat"
NOT_STARTED = "Belum mulai"
BEHIND = "Tertinggal"
ON_TRACK = "Sesuai jadwal"
STATUS_ORDER = [DONE, ON_TRACK, BEHIND, OVERDUE, NOT_STARTED]
# Okabe-Ito derived palette: distinguishable with the common colour-vision deficiencies.
STATUS_COLORS = {
    DONE: "#009E73",        # bluish green
    ON_TRACK: "#0072B2",    # blue
    BEHIND: "#E69F00",      # amber / orange
    OVERDUE: "#D55E00",     # vermillion (red)
    NOT_STARTED: "#8C8C8C", # grey
}

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
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
    "level": "Jenis",
}

ERROR = "Galat"
WARNING = "Peringatan"


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


# --- validation messages ----------------------------------------------------------------
def where(row: int | None, column: str | None) -> str:
    parts = []
    if row is not None:
        parts.append(f"Baris {row}")
    if column:
        parts.append(f"kolom {column}")
    return ", ".join(parts)


MSG = {
    # reading
    "empty_file": "Berkas kosong: tidak ada isi yang bisa dibaca.",
    "unknown_type": "Jenis berkas {name!r} tidak dikenali. Unggah berkas .xlsx atau .csv.",
    "xls_legacy": "Berkas .xls (Excel 97–2003) tidak didukung. Buka di Excel lalu simpan sebagai .xlsx (Excel Workbook).",
    "not_xlsx": "Berkas {name!r} bukan buku kerja Excel (.xlsx) yang sah: isinya tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx, atau ekspor sebagai .csv.",
    "encrypted": "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah lagi.",
    "not_text": "Berkas CSV tidak bisa dibaca sebagai teks. Simpan ulang sebagai CSV UTF-8.",
    "missing": "Berkas {name!r} tidak ditemukan.",
    "no_header": "Tidak menemukan baris judul kolom. Diperlukan kolom Kode atau Indikator/Program, dan kolom Progres (%). Judul yang terbaca di baris awal: {seen}.",
    "no_header_plan": "Tidak menemukan baris judul kolom rencana kerja. Diperlukan kolom Indikator/Program dan Target Waktu. Judul yang terbaca di baris awal: {seen}.",
    "no_rows": "Tabel tidak berisi satu pun baris data di bawah judul kolom.",
    "sheet_chosen": "Lembar {sheet!r} dipakai (berkas memiliki {count} lembar).",
    # progress values
    "progress_not_number": "{value!r} bukan angka 0–100",
    "progress_out_of_range": "{value} di luar rentang 0–100",
    "progress_blank": "progres kosong, dihitung 0%",
    "progress_fraction_hint": "Semua nilai progres di antara 0 dan 1, tetapi sel tidak berformat persen: nilai dibaca apa adanya (0,75 = 0,75%). Jika maksudnya 75%, tulis 75 atau beri format persen pada sel.",
    # matching
    "no_identifier": "tidak ada kode maupun nama indikator",
    "unknown_code": "kode {code!r} tidak ada dalam rencana kerja{hint}",
    "unknown_indicator": "indikator {name!r} tidak ada dalam rencana kerja{hint}",
    "did_you_mean": "; mungkin maksudnya {code} {name!r}?",
    "code_name_conflict": "kode {code} adalah {plan_name!r}, tetapi nama indikator di baris ini {name!r} adalah indikator {other_code}",
    "not_reported": "Indikator {code} {name!r} belum dilaporkan: dihitung 0%.",
    "summary_row": "baris ringkasan ({text!r}) tidak dihitung",
    "invalid_file": "Berkas tidak sah: {count} galat. Tidak ada data dari berkas ini yang dipakai.",
    # plan
    "plan_bad_period": "target waktu {value!r} tidak bisa dibaca sebagai periode",
    "plan_no_target": "target waktu kosong",
    "plan_duplicate_code": "kode {code} muncul lebih dari sekali",
    "plan_bad_code": "kode {code!r} bukan berbentuk K.N (misalnya 1.2)",
    "plan_no_component": "komponen kosong",
    # cli
    "cli_valid": "Berkas sah.",
    "cli_invalid": "Berkas TIDAK sah.",
}


def msg(key: str, **kw) -> str:
    return MSG[key].format(**kw)


# --- CLI summary ------------------------------------------------------------------------
CLI = {
    "file": "Berkas",
    "plan": "Rencana kerja",
    "as_of": "Posisi per",
    "position": "Posisi data (dari berkas)",
    "errors": "Galat",
    "warnings": "Peringatan",
    "overall": "Capaian keseluruhan",
    "planned": "rencana",
    "per_component": "Capaian per komponen",
    "overdue": "Terlambat",
    "none_overdue": "Tidak ada rencana aksi yang terlambat.",
    "days": "hari",
    "template_written": "Templat ditulis ke {path} ({rows} baris rencana kerja).",
    "cannot_read": "Tidak bisa dibaca",
}

# --- template ---------------------------------------------------------------------------
TEMPLATE = {
    "sheet": "Progres",
    "instructions_sheet": "Petunjuk",
    "title": "LAPORAN PROGRES RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS",
    "position_label": "Posisi per:",
    "progress_prompt_title": "Progres (%)",
    "progress_prompt": "Isi angka 0 sampai 100 (tanpa tanda %).",
    "progress_error": "Progres harus angka 0 sampai 100.",
    "status_prompt": "Pilih status dari daftar.",
    "instructions": [
        "PETUNJUK PENGISIAN TEMPLAT PROGRES ZONA INTEGRITAS",
        "",
        "1. Isi tanggal posisi data di sel sebelah 'Posisi per:' (misalnya 15 November 2025).",
        "2. Isi kolom Progres (%) dengan angka 0–100 untuk setiap rencana aksi. Boleh desimal (75,5).",
        "3. Kolom Status boleh dipilih dari daftar; dashboard tetap menghitung status sendiri dari progres dan target waktu.",
        "4. Isi PIC (penanggung jawab), Bukti Dukung (tautan https://...), dan Keterangan/kendala bila ada.",
        "5. Jangan mengubah kolom Kode: baris dicocokkan dengan rencana kerja melalui kode.",
        "6. Satu indikator boleh dirinci menjadi beberapa kegiatan: sisipkan baris dengan kode yang sama; progres indikator adalah rata-rata kegiatannya.",
        "7. Simpan sebagai .xlsx, lalu unggah di halaman Unggah.",
        "",
        "Progres adalah capaian pelaksanaan rencana aksi, bukan nilai LKE.",
    ],
}
