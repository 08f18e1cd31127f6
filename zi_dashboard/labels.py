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
# Streamlit's own words in its widgets (date picker, file uploader, list boxes) that no option turns
# into Indonesian: the page swaps them as they appear (app/ui/widgets.py, translator).  (English, Indonesian)
BROWSER_TEXT = [
    ("Upload", "Pilih berkas"),
    ("Browse files", "Pilih berkas"),
    ("Drag and drop file here", "Seret berkas ke sini"),
    ("Drag and drop files here", "Seret berkas ke sini"),
    ("per file", "per berkas"),
    ("Select all", "Pilih semua"),
    (
        "Use arrow keys to navigate dates. Enter to select. Escape to close.",
        "Tombol panah: pindah tanggal. Enter: pilih. Esc: tutup.",
    ),
    ("Choose date", "Pilih tanggal"),
    ("No results", "Tidak ada hasil"),
    ("Download plot as a PNG", "Unduh grafik (PNG)"),
    ("Download plot as a png", "Unduh grafik (PNG)"),
    ("Taking snapshot - this may take a few seconds", "Menyiapkan gambar grafik…"),
    ("No options to select", "Tidak ada pilihan"),
]
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
    "is_pdf": "Berkas {name!r} adalah dokumen PDF, bukan lembar kerja. Unggah berkas .xlsx atau .csv.",
    "is_html": "Berkas {name!r} adalah halaman web (HTML/XML), bukan lembar kerja. Buka di Excel lalu simpan sebagai .xlsx.",
    "too_big": "Berkas {size} MB melebihi batas {limit} MB. Kurangi isinya (misalnya hapus lembar yang tidak perlu) lalu unggah lagi.",
    "too_many_rows": "Lembar {sheet!r} berisi {rows} baris, melebihi batas {limit} baris. Pisahkan berkasnya atau hapus baris yang tidak perlu.",
    "zip_bomb": "Berkas {name!r} ditolak: isinya akan mengembang menjadi {size} MB (batas {limit} MB) saat dibuka. Simpan ulang dari Excel lalu unggah lagi.",
    "sheet_area": "Berkas {name!r} ditolak: lembarnya membentang sampai baris {rows} dan kolom ke-{cols}, terlalu luas untuk dibaca. Hapus isi atau format sel yang jauh di luar tabel, simpan, lalu unggah lagi.",
    "too_heavy": "Berkas terlalu berat untuk dibaca: membaca {name!r} melewati batas {limit}, jadi pembacaannya dihentikan dan tidak ada yang berubah. Hapus lembar atau isi yang tidak perlu (misalnya sel yang jauh di luar tabel), simpan ulang dari Excel, lalu unggah lagi.",
    "too_heavy_memory": "{mb} MB memori",
    "too_heavy_time": "waktu {seconds} detik",
    "zip_ratio": "Berkas {name!r} ditolak: bagian {part!r} dimampatkan {ratio} kali (batas {limit} kali), ciri berkas yang dibuat untuk menghabiskan memori. Simpan ulang dari Excel lalu unggah lagi.",
    "ods": "Berkas OpenDocument (.ods) belum didukung. Di LibreOffice pilih File > Save As > Excel 2007-365 (.xlsx), lalu unggah berkas .xlsx itu.",
    "macros": "Berkas berisi makro (VBA). Makro tidak pernah dijalankan; hanya nilai sel yang dibaca dan dipakai.",
    "cell_truncated": "teks {length} karakter dipotong menjadi {limit} karakter",
    "control_chars": "karakter kendali atau penanda arah teks yang tidak terlihat dihapus",
    "sheet_not_found": "Lembar {sheet!r} tidak ada atau tidak berisi tabel progres. Lembar yang berisi tabel: {sheets}.",
    "sheet_choice": "Berkas memiliki {count} lembar berisi tabel progres ({sheets}); yang dibaca: {sheet!r}. Pilih lembar lain bila perlu.",
    "progress_columns_ambiguous": "Tidak jelas kolom mana yang berisi progres: {columns}. Berkas tidak dipakai. Pilih kolom progres di Unggah, atau sisakan satu kolom progres (atau satu kolom per bulan/triwulan) lalu unggah lagi.",
    "progress_column_not_found": "Kolom progres {column!r} tidak ada. Kolom yang mungkin berisi progres: {columns}.",
    "progress_columns_used": "Berkas berisi kolom progres per periode. Progres tiap baris diambil dari kolom periode terakhir yang terisi dan tidak sesudah tanggal posisi: {used}.{skipped}",
    "progress_columns_skipped": " Kolom sesudah tanggal posisi tidak dipakai: {columns}.",
    "position_from_columns": "Berkas tidak menyebut tanggal posisi: tanggal posisi diambil dari akhir periode terakhir yang terisi ({column!r}): {date}.",
    "encrypted": "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah lagi.",
    "not_text": "Berkas CSV tidak bisa dibaca sebagai teks. Simpan ulang sebagai CSV UTF-8.",
    "missing": "Berkas {name!r} tidak ditemukan.",
    "no_header": "Tidak menemukan baris judul kolom. Diperlukan kolom Kode atau Indikator/Program, dan kolom Progres (%). Judul yang terbaca di baris awal: {seen}.",
    "no_header_plan": "Tidak menemukan baris judul kolom rencana kerja. Diperlukan kolom Indikator/Program dan Target Waktu. Judul yang terbaca di baris awal: {seen}.",
    "no_rows": "Tabel tidak berisi satu pun baris data di bawah judul kolom.",
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
    "invalid_file": "Berkas tidak sah: {count} kesalahan. Tidak ada data dari berkas ini yang dipakai.",
    # plan
    "plan_bad_period": "target waktu {value!r} tidak bisa dibaca sebagai periode",
    "plan_no_target": "target waktu kosong",
    "plan_duplicate_code": "kode {code} muncul lebih dari sekali",
    "plan_no_component": "komponen kosong",
    "plan_unusable": "Rencana kerja tidak bisa dipakai: {details}",
    # cli
    "cli_valid": "Berkas sah.",
    "bad_date": "tanggal {text!r} tidak sah; gunakan bentuk YYYY-MM-DD",
    "cannot_write": "Tidak bisa menulis {path!r}: {reason}",
    "unexpected": "Kesalahan tak terduga ({kind}). Tidak ada yang diubah; laporkan kepada pengelola dashboard.",
}


class Message(str):
    """A message the user reads that keeps its key beside it: the key is the stable code that
    tests, the CLI's JSON and logs speak, so the Indonesian text can change freely."""

    key: str

    def __new__(cls, key: str, text: str):
        obj = super().__new__(cls, text)
        obj.key = key
        return obj

    def __reduce__(self):  # keeps the key when a message crosses a process boundary
        return (Message, (self.key, str(self)))


def msg(key: str, **kw) -> Message:
    return Message(key, MSG[key].format(**kw))


# --- CLI summary ------------------------------------------------------------------------
CLI = {
    "file": "Berkas",
    "plan": "Rencana kerja",
    "as_of": "Posisi per",
    "position": "Posisi data (dari berkas)",
    "errors": "Kesalahan",
    "warnings": "Peringatan",
    "overall": "Capaian keseluruhan",
    "planned": "rencana",
    "per_component": "Capaian per komponen",
    "overdue": "Terlambat",
    "none_overdue": "Tidak ada rencana aksi yang terlambat.",
    "template_written": "Templat ditulis ke {path} ({rows} baris rencana kerja).",
    "cannot_read": "Tidak bisa dibaca",
    "no_snapshots": "Belum ada unggahan tersimpan.",
    "report_written": "Laporan posisi per {date} ditulis ke {path}.",
    "report_type": "Berkas keluaran harus berakhiran .html, .xlsx, .docx atau .pdf.",
    "password": "Kata sandi: ",
    "password_again": "Ulangi kata sandi: ",
    "password_mismatch": "Kedua kata sandi tidak sama.",
    "password_short": "Kata sandi editor minimal 12 karakter.",
    "position_short": "posisi",
    "unknown_args": "argumen tidak dikenal: {args}",
    "no_app": "app.py tidak ditemukan di {path}: pasang ulang paketnya (pip install .) atau jalankan dari folder proyek.",
    "need_position": "Berkas tidak menyebut tanggal posisi: sebutkan dengan --position-date YYYY-MM-DD (misalnya akhir bulan yang digambarkan berkas). Tidak ada yang disimpan.",
    "imported": "Tersimpan sebagai unggahan #{id} ({name}); sekarang menjadi data yang dipakai.",
    "duplicate": "Berkas identik dengan unggahan #{id}: tidak disimpan lagi.",
    "exported": "Unggahan #{id} ditulis ke {path} ({size} bita).",
    "no_such_snapshot": "Unggahan #{id} tidak ada.",
    "overdue_line": "  {code} {indicator}: {days} hari, progres {progress}, batas {end}",
}

# --- file names of the charts' PNG downloads (with the date added) ------------------------------
CHART_FILES = {
    "components": "komponen",
    "status": "status-per-komponen",
    "timeline": "linimasa",
    "s_curve": "kurva-s",
    "readiness_areas": "kesiapan-per-area",
}

# --- the command line's help (argparse) ---------------------------------------------------
CLI_HELP = {
    "description": "Dashboard Zona Integritas: alat baris perintah.",
    "check": "periksa berkas progres dan tampilkan ringkasan",
    "progress_file": "berkas progres (.xlsx atau .csv)",
    "plan_file": "berkas rencana kerja (bawaan: rencana kerja 2025)",
    "as_of": "posisi per tanggal YYYY-MM-DD (bawaan: tanggal posisi data; bila tidak ada, hari ini)",
    "json": "keluaran satu objek JSON",
    "snapshots": "daftar unggahan yang tersimpan",
    "json_list": "keluaran JSON",
    "import": "simpan berkas progres sebagai unggahan (dengan pemeriksaan yang sama)",
    "by": "nama yang mengunggah",
    "position_date": "tanggal posisi YYYY-MM-DD (bawaan: yang tertulis di berkas)",
    "export": "tulis berkas asli sebuah unggahan",
    "id": "nomor unggahan",
    "out": "berkas keluaran",
    "restore": "pulihkan unggahan sebagai data yang dipakai",
    "restore_by": "nama yang memulihkan",
    "position": "ubah tanggal posisi sebuah unggahan (dicatat; angkanya dihitung ulang)",
    "position_new": "tanggal posisi yang benar, YYYY-MM-DD",
    "position_by": "nama yang mengubah",
    "report": "laporan rapat .html atau paket Excel .xlsx dari data yang dipakai",
    "report_out": "berkas keluaran: .html (laporan rapat), .xlsx (paket Excel), .docx atau .pdf (laporan monev); sebuah folder atau tanpa ini: nama berkas dengan satker, tahun dan tanggal posisi",
    "report_file": "berkas progres tertentu (bawaan: data yang dipakai di dashboard)",
    "serve": "jalankan dashboard (streamlit run app.py); kata sandi editor pertama dicetak saat itu juga",
    "serve_args": "argumen tambahan untuk streamlit, misalnya --server.port 8502",
    "hash_password": "baca kata sandi (tanpa ditampilkan) dan cetak hash-nya untuk konfigurasi editor",
    "template": "tulis templat progres .xlsx",
    "template_out": "nama berkas keluaran, misalnya templat-progres.xlsx",
}

# --- template ---------------------------------------------------------------------------
TEMPLATE = {
    # the Status column's choices (what the office reports; the dashboard counts its own status)
    "statuses": ["Belum mulai", "Sedang berjalan", "Selesai", "Terkendala"],
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

# --- pages ------------------------------------------------------------------------------
PAGES = {
    "overview": "Ringkasan",
    "history": "Riwayat",
    "timeline": "Linimasa",
    "overdue": "Terlambat",
    "table": "Tabel",
    "upload": "Unggah",
}

# --- units (satuan kerja) and years ----------------------------------------------------------
UNITS = {
    "unit": "Satuan kerja",
    "year": "Tahun",
    "unit_year": "{unit} Tahun {year}",
    "not_your_unit": "Editor {name} tidak berwenang mengubah data {unit}. Hubungi admin bila seharusnya berwenang.",
    "unit_missing": "Satuan kerja belum diisi: tulis nama satuan kerja, misalnya KPU Kabupaten Garut.",
    "unit_not_listed": "Satuan kerja '{unit}' tidak ada dalam daftar satuan kerja (ZI_UNITS atau units di secrets.toml). Periksa ejaannya.",
    "year_invalid": "Tahun '{year}' tidak valid: isi tahun antara {lo} dan {hi}.",
    "url_unknown": "Tidak ada rencana kerja untuk satker '{unit}' tahun '{year}' pada alamat ini; yang ditampilkan: {shown}.",
    "empty_badge": "Belum ada unggahan",
    "overall": "Keseluruhan",
    "empty_note": "Belum ada data progres untuk {unit} tahun {year}; setiap baris dihitung 0% sampai unggahan pertama.",
}

# --- bulk work (issue 14 item 5): the CLI's units and years, plan-add, portfolio; a zip of many
# units' progress files on Unggah (bundles.check_bundle / save_bundle, ui.upload.bundle_upload) ---
CLI_HELP.update(
    {
        "unit": "satuan kerja: nama («KPU Kota Tasikmalaya») atau bentuk alamat («kota-tasikmalaya»); bawaan: satu-satunya satker",
        "year": "tahun rencana kerja, misalnya 2026 (bawaan: tahun terakhir satker itu)",
        "unit_import": "satuan kerja (bawaan: dibaca dari judul berkas, lalu dari nama berkas)",
        "year_import": "tahun rencana kerja (bawaan: dibaca dari judul berkas, lalu tahun terakhir satker)",
        "plan_add": "tambahkan rencana kerja: satker atau tahun baru, atau versi baru rencana yang ada",
        "plan_add_file": "berkas rencana kerja (.csv atau .xlsx)",
        "plan_add_by": "nama yang menambahkan (bawaan: nama akun sistem operasi)",
        "plan_unit": "satuan kerja (bawaan: dibaca dari judul berkas)",
        "plan_year": "tahun (bawaan: dibaca dari judul berkas)",
        "portfolio": "angka semua satker untuk satu tahun (sama dengan halaman provinsi)",
        "portfolio_year": "tahun (bawaan: tahun yang berisi data)",
        "portfolio_as_of": "posisi per tanggal YYYY-MM-DD untuk semua satker (bawaan: tiap satker per tanggal posisi datanya)",
        "snapshots_scope": "tanpa --unit/--year: unggahan semua satker dan tahun",
        "import_bundle": "berkas progres (.xlsx atau .csv), atau .zip berisi berkas progres beberapa satker",
    }
)
CLI.update(
    {
        "bad_year": "Tahun '{year}' tidak valid: tulis tahun empat angka, misalnya 2026.",
        "unknown_unit": "Satuan kerja '{unit}' tidak dikenal. Rencana kerja yang ada: {workplans}.",
        "no_workplan": "Tidak ada rencana kerja {unit} tahun {year}. Rencana kerja yang ada: {workplans}. Rencana baru ditambahkan dengan: python -m zi_dashboard plan-add BERKAS --unit ... --year ...",
        "need_unit": "Ada beberapa satuan kerja ({units}): sebutkan satu dengan --unit (dan --year). Tidak ada yang diubah.",
        "title_unknown_unit": "Judul berkas menyebut {unit}, yang belum punya rencana kerja. Rencana kerja yang ada: {workplans}. Tambahkan rencananya dengan plan-add, atau sebutkan satker dengan --unit. Tidak ada yang disimpan.",
        "title_other_unit": "Catatan: judul berkas menyebut {found}; disimpan untuk {unit} sesuai --unit.",
        "scope_line": "Satuan kerja: {unit} Tahun {year} ({how}).",
        "how_given": "sesuai --unit/--year",
        "how_title": "dari judul berkas",
        "how_name": "dari nama berkas",
        "how_only": "satu-satunya satker",
        "how_mixed": "sebagian dari judul/nama berkas, sebagian sesuai --unit/--year",
        "not_that_unit": "Unggahan #{id} bukan milik {unit} Tahun {year}.",
        "snapshots_of": "{unit} Tahun {year}:",
        "plan_invalid": "Rencana kerja tidak sah ({n} kesalahan); tidak ada yang disimpan:",
        "plan_title_differs": "Catatan: judul berkas menyebut {found}; dipakai {unit} Tahun {year} sesuai --unit/--year.",
        "plan_no_unit": "Judul berkas tidak menyebut satuan kerja dan ada beberapa satker ({units}): sebutkan dengan --unit. Tidak ada yang disimpan.",
        "plan_no_year": "Judul berkas tidak menyebut tahun dan {unit} belum punya rencana kerja: sebutkan tahunnya dengan --year. Tidak ada yang disimpan.",
        "plan_new_workplan": "Rencana kerja baru: {unit} Tahun {year} (rencana #{id}, {rows} baris, {how}).",
        "plan_new_version": "Versi rencana baru untuk {unit} Tahun {year} (rencana #{id}, {rows} baris, {how}); unggahan lama tetap memakai rencananya sendiri.",
        "plan_same": "Rencana ini sudah dipakai {unit} Tahun {year} (rencana #{id}): tidak ada yang berubah.",
        "no_year": "Tidak ada rencana kerja tahun {year}. Tahun yang ada: {years}.",
        "portfolio_title": "Satuan kerja tahun {year}, posisi per {date} ({n} satker)",
        "portfolio_head": ["No", "Satuan kerja", "Capaian", "Rencana", "Terlambat", "Unggahan terakhir"],
        "portfolio_no_plan": "belum ada rencana kerja",
        "portfolio_never": "belum pernah",
        "portfolio_stale": "(lebih dari {days} hari)",
        "bundle_title": "Isi {name}: {n} berkas, dicocokkan dengan rencana kerja tahun {year}.",
        "bundle_saved": "Disimpan: {n} berkas.",
        "bundle_unit": "--unit tidak dipakai untuk berkas .zip: setiap berkas di dalamnya dicocokkan dengan satkernya sendiri (pakai --year untuk memilih tahun). Tidak ada yang disimpan.",
        "bundle_need_position": "{n} berkas tidak menyebut tanggal posisi: sebutkan dengan --position-date YYYY-MM-DD. Tidak ada yang disimpan.",
    }
)
BULK = {
    "zip_help": "Bisa juga satu berkas .zip berisi berkas progres beberapa satker: setiap berkas dicocokkan dengan satkernya dan diperiksa dulu sebelum disimpan.",
    "title": "Isi zip: {n} berkas",
    "year_note": "Setiap berkas dicocokkan dengan satkernya lewat judul di dalam berkas (misalnya «LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN {year}») atau, bila judulnya tidak menyebut satker, lewat nama berkasnya; lalu diperiksa terhadap rencana kerja satker itu untuk **tahun {year}** (tahun yang dipilih di sidebar). Belum ada yang disimpan.",
    "col_file": "Berkas",
    "col_unit": "Satuan kerja",
    "col_result": "Hasil pemeriksaan",
    "col_position": "Tanggal posisi",
    "col_duplicate": "Duplikat dari",
    "col_save": "Disimpan?",
    "unrecognised": "tidak dikenali",
    "from_title": "{unit} (judul)",
    "from_name": "{unit} (nama berkas)",
    "valid": "Sah",
    "valid_warnings": "Sah, {n} peringatan",
    "invalid": "Tidak sah: {n} kesalahan",
    "unreadable": "Tidak bisa dibaca",
    "not_read": "Tidak diperiksa",
    "no_position": "tidak disebut",
    "dup_stored": "#{id}, {unit}",
    "dup_in_zip": "{name} (di zip ini)",
    "save_yes": "Ya",
    "save_no_unit": "Tidak: satker tidak dikenali",
    "save_unknown_unit": "Tidak: {unit} belum punya rencana kerja",
    "save_no_plan": "Tidak: {unit} belum punya rencana kerja tahun {year}",
    "save_year": "Tidak: judul menyebut tahun {found}, bukan {year}",
    "save_invalid": "Tidak: berkas tidak sah",
    "save_unreadable": "Tidak: {message}",
    "save_duplicate": "Tidak: sudah tersimpan",
    "save_not_yours": "Tidak: di luar wewenang {name}",
    "save_no_position": "Ya, dengan tanggal posisi yang diberikan (berkas tidak menyebutnya)",
    "ready": "{ok} dari {n} berkas akan disimpan; yang lain tidak (alasannya di kolom «Disimpan?»).",
    "problems": "Kesalahan per berkas ({n} berkas tidak sah)",
    "problems_of": "{name} ({unit})",
    "position_missing": "{n} berkas yang akan disimpan tidak menyebut tanggal posisi: {names}. Isi satu tanggal posisi untuk semuanya (misalnya akhir bulan yang digambarkan berkas, {suggestion}); tidak diisi otomatis dengan hari ini.",
    "position_label": "Tanggal posisi untuk berkas tanpa tanggal",
    "position_need": "Isi tanggal posisi untuk berkas yang tidak menyebutnya. Tidak ada yang disimpan.",
    "save": "Simpan semua yang sah",
    "nothing": "Tidak ada berkas di zip ini yang bisa disimpan.",
    "saved": "{n} berkas dari {zip} disimpan: {names}.",
    "saved_none": "Tidak ada berkas dari {zip} yang disimpan.",
    "refused": "Ditolak, karena {name} bukan editor satkernya: {names}.",
    "not_saved": "Tidak disimpan: {names}.",
    "saved_item": "{name} → {unit} Tahun {year} (#{id})",
    "duplicate_item": "{name} (identik dengan unggahan #{id})",
}
# --- province view (Semua Satker) and the year comparison: issue 14, items 2 and 3 (branch province)
NO_PLAN = "Belum ada rencana kerja"  # a listed unit without a plan for the year (the standing column)
# a mark per standing, so the province matrix does not speak by colour alone
STANDING_MARKS = ((DONE, "✓"), (ON_TRACK, "●"), (BEHIND, "▼"), (OVERDUE, "!"), (NOT_STARTED, "○"), (NO_PLAN, "–"))
PROVINCE = {
    "page": "Semua Satker",
    "section": "Provinsi",
    "sidebar_line": "Semua satuan kerja",
    "year": "Tahun",
    "year_help": "Tahun rencana kerja yang dibandingkan (semua tahun dari semua satuan kerja).",
    "as_of_help": "Semua angka dihitung per tanggal ini; satker tanpa unggahan {days} hari sebelum tanggal ini ditandai tidak diperbarui.",
    "header": "Tahun {year} · {as_of} {date} · {n} satuan kerja",
    "kpi_units": "Satker",
    "kpi_units_note": "dengan rencana kerja, dari {n}",
    "kpi_mean": "Rata-rata capaian",
    "kpi_mean_note": "rencana rata-rata {value}",
    "kpi_overdue": "Satker terlambat",
    "kpi_overdue_note": "{n} rencana aksi terlambat",
    "kpi_stale": "Tidak diperbarui",
    "kpi_stale_note": "tanpa unggahan {days} hari",
    "no_plan_list": "Belum ada rencana kerja tahun {year}: {names}",
    "and_more": "{names}, dan {n} lainnya",
    "filter_text": "Cari satker",
    "filter_text_help": "Sebagian nama satker, misalnya «garut» atau «kab».",
    "filter_standing": "Status",
    "filter_stale": "Hanya yang tidak diperbarui",
    "filtered": "{shown} dari {n} satker sesuai saringan.",
    "nothing": "Tidak ada satker yang sesuai saringan.",
    "matrix": "Capaian per komponen",
    "matrix_note": "Angka besar: capaian; angka kecil: rencana per tanggal posisi. Tanda dan warna: {legend}.",
    "matrix_page": "Baris matriks",
    "matrix_rows": "Satker {lo}–{hi} dari {n}",
    "matrix_components": "Komponen: {names}",
    "overall_short": "Total",
    "cell_title": "{unit} · {component}: capaian {completion}, rencana {planned}, {standing}{overdue}",
    "cell_overdue": ", {n} terlambat",
    "last_upload_short": "Unggah: {date}",
    "never": "belum pernah",
    "stale_mark": "⚠ tidak diperbarui",
    "ranking": "Peringkat satker",
    "ranking_note": "Klik «Buka» untuk membuka Ringkasan satker itu di tab baru, atau pilih satu baris lalu tombol di bawah tabel.",
    "open": "Buka",
    "open_unit": "Buka Ringkasan {unit} tahun {year}",
    "pick_row": "Pilih satu baris tabel untuk membuka Ringkasan satker itu di sini.",
    "file_title": "Capaian satuan kerja tahun {year}",
    "file_stem": "semua-satker-{year}",
    "file_filters": "Saringan: {filters}",
    "yes": "Ya",
    # columns of the table and its files
    "col_rank": "Peringkat",
    "col_unit": "Satuan Kerja",
    "col_standing": "Status",
    "col_overdue": "Terlambat",
    "col_done": "Selesai",
    "col_rows": "Jumlah Rencana Aksi",
    "col_readiness": "Kesiapan LKE",
    "col_predicate": "Predikat",
    "col_last_upload": "Unggahan Terakhir",
    "col_position": "Posisi Data",
    "col_stale": "Tidak Diperbarui",
    "col_link": "Ringkasan",
    # Riwayat: the year comparison
    "years_title": "Perbandingan antartahun",
    "years_note": "Capaian akhir per komponen tiap tahun: data yang dipakai untuk tahun itu, dihitung per akhir tahunnya.",
    "years_chart": "Capaian per komponen: {unit}, tahun ke tahun",
    "years_component": "Komponen",
}
CHART_FILES.update({"years": "perbandingan-tahun"})

UI = {
    "as_of": "Posisi per",
    "as_of_help": "Tanggal hitung: semua angka di setiap halaman (rencana, status, terlambat) dihitung per tanggal ini. Bisa digeser untuk melihat keadaan pada tanggal lain; tidak mengubah data. Bedakan dengan «Tanggal posisi data» di Unggah: tanggal keadaan yang digambarkan sebuah berkas, disimpan bersama berkas itu.",
    "component_filter": "Komponen",
    "all_components": "Semua komponen",
    "source": "Sumber data",
    "example_badge": "Data contoh",
    "example_note": "Dashboard menampilkan DATA CONTOH, bukan laporan resmi. Unggah berkas progres di halaman Unggah.",
    "uploaded": "Diunggah {when} oleh {who}",
    "position": "Posisi data: {date}",
    "no_position": "Berkas tidak menyebut tanggal posisi",
    "actual": "Realisasi",
    "planned": "Rencana",
    "progress": "Progres",
    "status": "Status",
    "component": "Komponen",
    "action": "Rencana aksi",
    "target": "Target waktu",
    "rows_axis": "Jumlah rencana aksi",
    "chart_components": "Capaian per komponen: realisasi dan rencana per {date}",
    "chart_status": "Status rencana aksi per komponen",
    "chart_timeline": "Linimasa rencana aksi terhadap target waktu",
    # overview
    "overall": "Capaian keseluruhan",
    "overall_planned": "Rencana per tanggal ini: {value}",
    "of_rows": "dari {n} rencana aksi",
    "look_into": "Lihat indikator satu komponen",
    "choose_component": "Pilih komponen",
    "how_counted": "Cara menghitung",
    "how_counted_text": (
        "- **Progres indikator**: angka progres barisnya; bila satu indikator dirinci menjadi beberapa kegiatan, "
        "progresnya adalah rata-rata kegiatan itu. Indikator yang belum dilaporkan dihitung 0%.\n"
        "- **Capaian komponen**: rata-rata sederhana progres indikator dalam komponen itu.\n"
        "- **Capaian keseluruhan**: rata-rata sederhana progres semua {n} indikator (bukan rata-rata enam komponen).\n"
        "- **Rencana (progres yang seharusnya)** pada tanggal posisi: bagian masa target yang sudah berjalan, "
        "dihitung per hari: 0% sebelum masa target dimulai, naik merata, 100% sejak hari terakhir target. "
        "Contoh: target Oktober s/d Desember 2025 (92 hari), per 15 November 2025 sudah berjalan 46 hari, "
        "rencananya 50,0%.\n"
        "- **Status** (yang pertama berlaku): **Selesai** bila progres 100%; **Terlambat** bila tanggal posisi "
        "sudah melewati batas akhir target; **Belum mulai** bila progres 0% dan masa target belum dimulai; "
        "**Tertinggal** bila progres lebih dari 10 poin di bawah rencana; selain itu **Sesuai jadwal**.\n"
        "- **Hari terlambat**: jumlah hari sejak batas akhir target sampai tanggal posisi.\n"
        "- Angka dibulatkan satu desimal hanya untuk tampilan. Progres rencana kerja bukan nilai LKE."
    ),
    # timeline
    "days_late": "{n} hari terlambat",
    "timeline_row_meta": "{status} · target s/d {end}",
    "timeline_caption": "Batang muda: masa target. Batang tua: progres. Garis putus-putus: tanggal posisi.",
    # overdue
    "overdue_title": "Rencana aksi terlambat",
    "overdue_none": "Tidak ada rencana aksi yang terlambat per {date}.",
    "overdue_count": "{n} rencana aksi melewati batas akhir target per {date}, yang paling lama di atas.",
    "behind_title": "Rencana aksi tertinggal dari jadwal",
    "behind_none": "Tidak ada rencana aksi yang tertinggal per {date}.",
    "behind_count": "{n} rencana aksi lebih dari 10 poin di bawah rencana per {date}.",
    # table
    "filter_status": "Status",
    "all": "Semua",
    "filter_pic": "PIC",
    "filters_line": "Filter: {filters}",
    "filters_none": "tidak ada (semua baris)",
    "filter_text_line": "teks dicari = «{text}»",
    "filter_text": "Cari (kode, indikator, rencana aksi, PIC, keterangan)",
    "rows_shown": "{n} dari {total} rencana aksi ditampilkan.",
    "download_csv": "Unduh CSV",
    "download_xlsx": "Unduh Excel (.xlsx)",
    "bar": "Grafik",
    "link": "Tautan bukti",
    "open_link": "buka ↗",
    # upload
    "upload_title": "Unggah berkas progres",
    "template_intro": "Belum punya berkas? Unduh templat yang sudah berisi {n} baris rencana kerja.",
    "download_template": "Unduh templat (.xlsx)",
    "uploader": "Pilih berkas progres (.xlsx atau .csv), atau satu .zip berisi berkas beberapa satker",
    "full_messages": "Pesan lengkap",
    "progress_column": "Kolom progres",
    "progress_column_auto": "Otomatis: periode terakhir yang terisi",
    "progress_column_help": "Berkas ini punya beberapa kolom yang mungkin berisi progres. Otomatis: untuk kolom per bulan/triwulan, tiap baris memakai periode terakhir yang terisi sampai tanggal posisi. Atau pilih satu kolom.",
    "file_position": "Tanggal posisi data",
    "file_position_help": "Tanggal keadaan yang digambarkan berkas ini (misalnya «Posisi: 30 November 2025»), disimpan bersama berkas; terbaca dari berkas bila berkas menyebutnya. Bedakan dengan «Posisi per» di sidebar: tanggal hitung semua halaman, bisa digeser kapan saja. Tanggal yang salah bisa dikoreksi nanti di Riwayat.",
    "file_position_missing": "Berkas tidak menyebut tanggal posisi. Isi tanggal keadaan yang digambarkan berkas (bukan tanggal hari ini). Saran: akhir bulan lalu, {suggestion}.",
    "file_position_need": "Isi «Tanggal posisi data» dulu: berkas tidak menyebutnya.",
    "report_title": "Hasil pemeriksaan berkas",
    "valid": "Berkas sah: {rows} baris terbaca, {warnings} peringatan.",
    "invalid": "Berkas tidak sah: {errors} kesalahan. Perbaiki lalu unggah lagi; data yang dipakai tidak berubah.",
    "errors": "Kesalahan",
    "warnings": "Peringatan",
    "changes_title": "Perubahan dibanding data yang dipakai sekarang",
    "changes_none": "Tidak ada angka yang berubah dibanding data yang dipakai sekarang.",
    "changes_summary": "{n} indikator berubah. Capaian keseluruhan {before} → {after} ({delta}).",
    "save": "Simpan sebagai data yang dipakai",
    "saved": "Tersimpan. Berkas “{name}” sekarang menjadi data yang dipakai.",
    "duplicate": "Berkas ini identik dengan unggahan #{id} yang diunggah {when} oleh {who}: tidak disimpan lagi. Untuk memakainya lagi, pulihkan unggahan itu di halaman Riwayat; tanggal posisinya juga bisa diubah di sana.",
    "too_big": "Berkas {size} MB melebihi batas {limit} MB.",
    "unreadable": "Berkas tidak bisa dibaca: {message}",
    "sheet": "Lembar yang dibaca",
}

HISTORY = {
    "title": "Riwayat",
    "curve": "Kurva S: capaian keseluruhan terhadap rencana",
    "curve_component": "Kurva S: {name}",
    "planned_line": "Rencana",
    "actual_line": "Realisasi (tiap unggahan)",
    "no_snapshots": "Belum ada berkas progres yang disimpan. Riwayat mulai terisi setelah unggahan pertama di halaman Unggah.",
    "list": "Daftar unggahan",
    "col_id": "No.",
    "col_position": "Posisi data",
    "col_uploaded": "Diunggah",
    "col_by": "Oleh",
    "col_file": "Berkas",
    "col_overall": "Capaian (%)",
    "col_in_use": "Dipakai",
    "col_corrected": "Koreksi tanggal posisi",
    "corrected_note": "{previous} → {date} oleh {by}, {when}",
    "correct_title": "Ubah tanggal posisi",
    "correct_intro": "Tanggal posisi unggahan #{id} sekarang: {date}. Tanggal baru dicatat sebagai koreksi (tanggal lama tetap tercatat) dan angka unggahan ini dihitung ulang per tanggal baru.",
    "correct_date": "Tanggal posisi yang benar",
    "correct_save": "Simpan tanggal posisi",
    "correct_need_date": "Pilih tanggal posisi yang benar dulu.",
    "corrected": "Tanggal posisi unggahan #{id} diubah menjadi {date}.",
    "in_use": "● dipakai",
    "pick": "Pilih unggahan",
    "download_original": "Unduh berkas asli",
    "restore": "Pulihkan unggahan ini sebagai data yang dipakai",
    "restore_by": "Nama yang memulihkan",
    "restored": "Unggahan #{id} dipulihkan sebagai data yang dipakai.",
    "already_in_use": "Unggahan ini sedang dipakai.",
    "compare": "Perubahan antara dua unggahan",
    "from": "Dari unggahan",
    "to": "Ke unggahan",
    "need_two": "Perbandingan memerlukan sedikitnya dua unggahan.",
    "summary": "{n} indikator berubah · {done} menjadi Selesai · {overdue} menjadi Terlambat · capaian {before} → {after} ({delta}).",
    "no_change": "Tidak ada perubahan antara kedua unggahan.",
    "download_changes": "Unduh perubahan (.xlsx)",
    "changes_file_title": "Perubahan unggahan #{old} ke #{new}",
    "changes_sheet": "Perubahan",
    "changes_file": "perubahan-zi-{old}-ke-{new}.xlsx",
    "snapshot_label": "#{id} · posisi {date} · {file}",
    "upload_n": "Unggahan #",
    "same_date": "<br>Unggahan lain pada tanggal ini: {ids}",
}

PLAN_UI = {
    "title": "Rencana kerja: tahun baru, satker baru, atau ganti",
    "intro": "Unggah rencana kerja (.csv atau .xlsx dengan kolom Kode, Komponen, Indikator/Program, Rencana Aksi, Target Waktu). Satuan kerja dan tahun dibaca dari judul berkas (misalnya «KPU KOTA TASIKMALAYA TAHUN 2026») dan bisa diubah di bawah. Satker/tahun yang belum ada menjadi rencana kerja baru; yang sudah ada mendapat versi rencana baru (unggahan lama tetap memakai rencananya sendiri). Data satker dan tahun lain tidak tersentuh.",
    "uploader": "Pilih berkas rencana kerja",
    "invalid": "Rencana kerja tidak sah: {n} kesalahan. Tidak ada yang diubah.",
    "valid": "Rencana kerja sah: {rows} baris, {components} komponen, target {start} s.d. {end}.",
    "from_title": "Dari judul berkas: {found}.",
    "not_in_title": "Judul berkas tidak menyebut satuan kerja dan/atau tahun: isi di bawah.",
    "new_workplan": "{unit} tahun {year} belum ada: disimpan sebagai rencana kerja baru.",
    "new_version": "{unit} tahun {year} sudah ada: rencana ini menjadi versi barunya.",
    "save": "Simpan rencana kerja",
    "saved": "Rencana kerja “{name}” disimpan untuk {unit} tahun {year} (versi #{id}).",
}

MEETING = {
    "page": "Mode rapat",
    "enter": "Mode rapat (presentasi)",
    "exit": "Keluar dari mode rapat",
    "previous": "◀ sebelumnya",
    "next": "berikutnya ▶",
    "position": "{n} / {total}",
    "views": {
        "headline": "Capaian keseluruhan dan status rencana aksi",
        "components": "Capaian per komponen",
        "timeline": "Linimasa terhadap target waktu",
        "overdue": "Rencana aksi terlambat dan penanggung jawabnya",
        "changes": "Perubahan sejak unggahan sebelumnya",
    },
    "corner": "{unit} · {as_of_label} {date} · {source}",
    "pack": "Bahan rapat",
    "pack_intro": "Unduh laporan rapat (satu berkas HTML yang terbuka tanpa internet dan siap dicetak A4 mendatar) atau paket Excel untuk notulen.",
}

REPORT = {
    "title": "Laporan Rapat Zona Integritas · {unit} · Posisi per {date}",
    "source": "Sumber data: {source} · posisi data {position}",
    "headline": "Ringkasan",
    "components": "Capaian per komponen",
    "timeline": "Linimasa rencana aksi",
    "overdue": "Rencana aksi terlambat",
    "changes": "Perubahan sejak unggahan sebelumnya",
    "no_previous": "Belum ada unggahan sebelumnya untuk dibandingkan.",
    "no_changes": "Tidak ada perubahan sejak unggahan sebelumnya.",
    "chart_file": "grafik-{chart}-posisi-{date}",
    "sheet_summary": "Ringkasan",
    "sheet_overdue": "Terlambat",
    "sheet_all": "Semua Data",
    "sheet_changes": "Perubahan",
    "figure": "Angka",
    "value": "Nilai",
    "note": "Catatan",
    "html_file": "laporan-rapat-zi-posisi-{date}.html",
    "xlsx_file": "paket-excel-zi-posisi-{date}.xlsx",
    "download_html": "Laporan rapat (.html)",
    "download_xlsx": "Paket Excel (.xlsx)",
}

AUTH = {
    "login_title": "Masuk (Tim ZI)",
    "name": "Nama editor",
    "password": "Kata sandi",
    "login": "Masuk",
    "logout": "Keluar",
    "logged_in": "Masuk sebagai **{name}**",
    "wrong": "Nama atau kata sandi salah ({tries} dari {max} percobaan).",
    "locked": "Terlalu banyak percobaan yang salah. Coba lagi dalam {seconds} detik.",
    "need_editor": 'Mengunggah, memulihkan unggahan lama dan mengganti rencana kerja hanya untuk editor Tim ZI. Masuk lewat "Masuk (Tim ZI)" di sidebar.',
}

DIFF = {
    "before": "Progres sebelum (%)",
    "after": "Progres sesudah (%)",
    "change": "Perubahan (poin)",
    "became_done": "Menjadi Selesai",
    "became_overdue": "Menjadi Terlambat",
    "notes_before": "Keterangan sebelum",
    "notes_after": "Keterangan sesudah",
    "yes": "Ya",
    "status_before": "Status sebelum",
    "status_after": "Status sesudah",
}


# --- readiness for WBK/WBBM (Kesiapan), the self-assessment, follow-up (issue 13) -----------
MSG.update(
    {
        "plan_bad_weight": "bobot {value!r} bukan angka 0 atau lebih",
        "assess_not_number": "{field}: {value!r} bukan angka",
        "assess_out_of_range": "{field}: {value} di luar rentang 0–{max}",
        "assess_sum_conflict": "{field}: {value} tidak sama dengan jumlah sub-areanya ({total}); isi salah satu saja",
        "assess_unknown_field": "kode {code!r} tidak dikenal (yang dikenal: R1–R6, R1.1–R6.2, IPAK, IPKP, KINERJA)",
        "assess_no_table": "Tidak menemukan tabel penilaian mandiri: diperlukan kolom Kode dan Nilai (unduh templatnya).",
        "contacts_no_table": "Tidak menemukan tabel kontak: diperlukan kolom PIC dan kolom {kind}.",
        "smtp_failed": "Surel ke {to} tidak terkirim: {reason}",
        "smtp_bad_url": "Alamat SMTP {url!r} tidak sah; contoh: smtp://host:25, smtp+starttls://user:sandi@host:587, smtps://host:465",
    }
)
PAGES.update({"readiness": "Kesiapan"})
MEETING["views"]["readiness"] = "Kesiapan WBK/WBBM (perkiraan)"

# the six areas as the LKE names them (lke.md); the plan's own component names win where it has them
LKE_AREA_NAMES = [
    "Manajemen Perubahan",
    "Penataan Tatalaksana",
    "Penataan Sistem Manajemen SDM",
    "Penguatan Akuntabilitas",
    "Penguatan Pengawasan",
    "Peningkatan Kualitas Pelayanan Publik",
]


def lke_area_name(code: str) -> str:
    """'5' -> 'Penguatan Pengawasan'; the code itself for an area the LKE does not name."""
    return LKE_AREA_NAMES[int(code) - 1] if code.isdigit() and 0 < int(code) <= len(LKE_AREA_NAMES) else code


ASSESS = {
    "field_reform_area": "Reform {area}. {name}",
    "field_reform_sub": "Reform sub-area {code}",
    "field_ipak": "IPAK (indeks survei 0–4)",
    "field_ipkp": "IPKP (indeks survei 0–4)",
    "field_kinerja": "Capaian kinerja (poin 0–5)",
    "title": "Penilaian mandiri",
    "intro": "Yang tidak tercakup rencana kerja: poin Reform per area, indeks survei IPAK dan IPKP (0–4), dan poin capaian kinerja (0–5). Isian terbaru yang disimpan dipakai di semua halaman; isian lama tetap tersimpan.",
    "current": "Dipakai: isian #{id}, disimpan {when} oleh {who} ({source}).",
    "none": "Belum ada penilaian mandiri tersimpan: Reform, IPAK, IPKP dan capaian kinerja dihitung 0.",
    "col_code": "Kode",
    "col_field": "Isian",
    "col_value": "Nilai",
    "col_max": "Batas",
    "editor_caption": "Ubah kolom Nilai (boleh desimal dengan koma: 2,5). Kosongkan bila belum ada nilainya.",
    "save": "Simpan penilaian mandiri",
    "saved": "Penilaian mandiri disimpan (isian #{id}) dan sekarang dipakai.",
    "invalid": "Penilaian mandiri tidak disimpan: {n} kesalahan. Tidak ada yang diubah.",
    "upload": "Atau unggah lembar penilaian mandiri (.xlsx/.csv)",
    "download_template": "Unduh templat penilaian mandiri (.xlsx)",
    "template_file": "templat-penilaian-mandiri-zi.xlsx",
    "template_sheet": "Penilaian Mandiri",
    "template_title": "PENILAIAN MANDIRI ZONA INTEGRITAS (di luar rencana kerja)",
    "template_note": "Isi kolom Nilai. Reform: isi total area (R1–R6) ATAU rincian sub-areanya (R1.1 dst.), tidak keduanya. IPAK/IPKP: indeks survei 0–4. KINERJA: poin 0–5.",
    "source_editor": "diisi di dashboard",
    "need_editor": "Menyimpan penilaian mandiri hanya untuk editor Tim ZI.",
    "history": "Isian tersimpan",
    "col_id": "No.",
    "col_at": "Disimpan",
    "col_by": "Oleh",
    "col_source": "Sumber",
}

READY = {
    "estimate": "perkiraan",
    "why_estimate": "Perkiraan dari progres rencana kerja dan penilaian mandiri, bukan nilai resmi: evaluator menilai jawaban LKE dan bukti dukungnya, bukan progres tugas.",
    "no_weights": "Rencana kerja yang dipakai tidak memuat kolom bobot (Bobot/Bobot LKE): perkiraan Pemenuhan tidak bisa dihitung dan dihitung 0.",
    "pemenuhan": "Pemenuhan (perkiraan)",
    "reform": "Reform (penilaian mandiri)",
    "pengungkit": "Pengungkit",
    "hasil": "Hasil",
    "total": "Nilai total (perkiraan)",
    "of_max": "dari {max}",
    "estimate_mark": "* perkiraan dari progres rencana kerja.",
    "predicate": "Predikat {name}",
    "eligible": "Memenuhi syarat",
    "not_eligible": "Belum memenuhi",
    "card_yes": "✓ Ya",
    "card_pemenuhan": "Pemenuhan*",
    "card_total": "Total*",
    "card_no": "✗ Belum",
    "gates_title": "Syarat predikat",
    "col_gate": "Syarat",
    "col_value": "Nilai",
    "col_threshold": "Batas",
    "col_result": "Hasil",
    "col_missing": "Kurang",
    "pass": "✓ memenuhi",
    "fail": "✗ belum",
    "gate_total": "Nilai total",
    "gate_pengungkit": "Pengungkit",
    "gate_area": "Area {code}. {name} (% dari bobot)",
    "gate_area_short": "Area {code}. {name}",
    "gate_birokrasi_bersih": "Birokrasi Bersih dan Akuntabel (IPAK + kinerja)",
    "gate_ipak": "Poin IPAK",
    "gate_kinerja": "Poin capaian kinerja",
    "gate_pelayanan_prima": "Pelayanan Prima (poin IPKP)",
    "gate_wbk": "Sudah memenuhi syarat WBK",
    "yes": "ya",
    "no": "tidak",
    "missing_title": "Yang masih kurang",
    "missing_for": "Untuk {name}:",
    "all_met": "Semua syarat {name} terpenuhi (perkiraan).",
    "missing_area": "{name} {pct} dari bobot, perlu {need}: kurang {points} poin",
    "missing_points": "{gate} {value}, perlu {need}: kurang {points} poin",
    "missing_wbk": "Syarat WBK belum terpenuhi",
    "inputs_missing": "Belum diisi (dihitung 0): {fields}.",
    "input_weights": "bobot rencana kerja",
    "chart_title": "Nilai per area terhadap bobotnya",
    "chart_pemenuhan": "Pemenuhan (perkiraan)",
    "chart_reform": "Reform",
    "chart_axis": "% dari bobot area",
    "line_wbk": "60% WBK",
    "line_wbbm": "75% WBBM",
    "areas_title": "Nilai per area",
    "col_area": "Area",
    "col_pemenuhan": "Pemenuhan",
    "col_pemenuhan_max": "Bobot Pemenuhan",
    "col_reform": "Reform",
    "col_reform_max": "Bobot Reform",
    "col_points": "Nilai area",
    "col_max": "Bobot area",
    "col_pct": "% dari bobot",
    "open_title": "Poin belum diraih per rencana aksi",
    "open_caption": "Bobot × (100 − progres) / 100, terbesar di atas: menyelesaikan baris teratas paling menaikkan nilai. ⚠ = terlambat.",
    "col_weight": "Bobot",
    "col_open": "Poin belum diraih",
    "col_estimate": "Pemenuhan (perkiraan)",
    "overdue_mark": "⚠ terlambat",
    "open_none": "Tidak ada poin Pemenuhan yang belum diraih.",
    "evidence_caption": "Evaluator menilai bukti, bukan klaim. Dihitung tautan http(s) di kolom Bukti Dukung (beberapa per sel, dipisah baris baru, koma atau titik koma).",
    "no_evidence_title": "Progres di atas 0 tanpa bukti dukung",
    "no_evidence_none": "Setiap rencana aksi yang sudah berprogres memiliki bukti dukung.",
    "done_no_evidence": "{n} rencana aksi berstatus Selesai tanpa bukti dukung: {codes}.",
    "evidence_share_title": "Bagian rencana aksi yang memiliki bukti dukung, per komponen",
    "evidence_rows_title": "Jumlah tautan bukti dukung per rencana aksi",
    "col_links": "Tautan bukti",
    "area_note": "Nilai area = % dari bobot area (Pemenuhan + Reform).",
    "col_rows": "Rencana aksi",
    "col_with_evidence": "Dengan bukti",
    "col_share": "Bagian (%)",
    "follow_caption": "Rencana aksi yang terlambat, tertinggal, atau berakhir dalam {days} hari, dengan poin yang belum diraih.",
    "follow_none": "Tidak ada rencana aksi yang perlu ditindaklanjuti per {date}.",
    "follow_pic": "{pic} · {n} rencana aksi · {points} poin belum diraih",
    "no_pic": "(tanpa PIC)",
    "reason_overdue": "terlambat {days} hari",
    "reason_behind": "tertinggal dari jadwal",
    "reason_due_soon": "berakhir dalam {days} hari",
    "col_reason": "Perlu perhatian",
    "whatsapp": "Kirim lewat WhatsApp",
    "copy_text": "Teks pesan (salin):",
    "contacts_upload": "Lembar kontak PIC (opsional: kolom PIC dan No. HP/WhatsApp) untuk tautan WhatsApp langsung ke nomornya",
    "contacts_loaded": "{n} kontak PIC terbaca (hanya untuk sesi ini, tidak disimpan).",
    "message_greeting": "Yth. {pic},",
    "message_intro": "berikut rencana aksi Zona Integritas {unit} yang perlu ditindaklanjuti (posisi per {date}):",
    "message_line": "- {code} {indicator}: {reason}, progres {progress}, batas {end}; {points} poin belum diraih",
    "message_close": "Mohon progres dan bukti dukung (tautan) diperbarui sebelum rapat berikutnya. Terima kasih.",
    "message_subject": "Tindak lanjut Zona Integritas: {n} rencana aksi (posisi {date})",
    "whatif_intro": "Pilih rencana aksi yang dianggap selesai atau ubah nilai survei, lalu lihat setiap syarat bergerak. Tidak ada yang disimpan.",
    "whatif_rows": "Anggap selesai",
    "whatif_placeholder": "Pilih rencana aksi",
    "whatif_ipak": "IPAK (indeks 0–4)",
    "whatif_ipkp": "IPKP (indeks 0–4)",
    "whatif_kinerja": "Capaian kinerja (poin 0–5)",
    "whatif_result": "Dengan simulasi: total {total} ({delta} poin), Pengungkit {pengungkit}; WBK: {wbk}; WBBM: {wbbm}.",
    "col_now": "Sekarang",
    "col_whatif": "Simulasi",
    "points": "poin",
}

READY_CLI = {
    "help": "perkiraan nilai LKE dan syarat predikat WBK/WBBM dari berkas progres",
    "help_reform": 'poin Reform per area, misalnya "1=2.5,2=2" (bawaan: penilaian mandiri tersimpan)',
    "help_ipak": "indeks IPAK 0–4",
    "help_ipkp": "indeks IPKP 0–4",
    "help_kinerja": "poin capaian kinerja 0–5",
    "help_remind": "pesan tindak lanjut per PIC (dicetak, atau dikirim lewat surel SMTP)",
    "help_dry_run": "hanya cetak, jangan kirim",
    "help_smtp": "alamat server SMTP, misalnya smtp://host:25 atau smtp+starttls://user:sandi@host:587",
    "help_to_map": "lembar kontak: kolom PIC dan kolom Email",
    "help_from": "alamat pengirim surel",
    "help_assess": "simpan penilaian mandiri dari lembar (templat: assessment-template)",
    "help_assess_template": "tulis templat penilaian mandiri .xlsx",
    "bad_reform": '--reform {text!r} tidak sah; tulis misalnya "1=2.5,2=2"',
    "title": "Kesiapan WBK/WBBM (perkiraan) · posisi per {date}",
    "line_pemenuhan": "Pemenuhan (perkiraan): {points} dari {max}",
    "line_reform": "Reform: {points} dari {max}",
    "line_pengungkit": "Pengungkit: {points} dari 60",
    "line_hasil": "Hasil: {points} dari {max}",
    "line_total": "Total: {points} dari 100",
    "line_predicate": "{name}: {result}",
    "sent": "Terkirim ke {to} ({pic}).",
    "no_address": "Tidak ada alamat surel untuk {pic}: tidak dikirim.",
    "would_send": "Akan dikirim ke {to}:",
    "separator": "----------------------------------------",
    "assess_saved": "Penilaian mandiri disimpan (isian #{id}).",
}

READY_REPORT = {
    "section": "Kesiapan WBK/WBBM (perkiraan)",
    "sheet": "Kesiapan",
    "figure": "Angka",
    "value": "Nilai",
    "max": "Maksimum",
    "gates": "Syarat predikat",
    "open": "Poin belum diraih (10 terbesar)",
    "no_evidence": "Progres di atas 0 tanpa bukti dukung",
}
READY.update({"contact_phone": "No. HP/WhatsApp", "contact_email": "Email"})
READY_UI = {
    "tab_points": "Poin belum diraih",
    "tab_evidence": "Bukti dukung",
    "tab_follow": "Tindak lanjut per PIC",
    "tab_whatif": "Simulasi",
    "tab_assess": "Penilaian mandiri",
    "shown_for_all": "Kesiapan selalu dihitung untuk seluruh rencana kerja (saringan komponen tidak berlaku di halaman ini).",
}

# --- zip bundles of many units' progress files (reading/bundle.py) -------------------------------
MSG.update(
    {
        "bundle_not_zip": "Berkas {name!r} bukan arsip zip yang bisa dibuka (rusak atau bukan zip). Buat ulang arsipnya (di Windows: klik kanan folder > Kirim ke > Folder terkompresi), lalu unggah lagi.",
        "bundle_encrypted": "Arsip zip {name!r} dilindungi kata sandi, jadi isinya tidak bisa dibaca. Buat ulang arsipnya tanpa kata sandi, lalu unggah lagi.",
        "bundle_empty": "Arsip zip {name!r} tidak berisi satu pun berkas (hanya folder atau berkas sistem seperti __MACOSX dan .DS_Store). Masukkan berkas progres .xlsx atau .csv ke dalamnya, lalu unggah lagi.",
        "bundle_too_many": "Arsip zip {name!r} berisi {count} berkas, melebihi batas {limit} berkas per arsip. Bagi menjadi beberapa arsip, lalu unggah satu per satu.",
        "bundle_expanded": "Arsip zip {name!r} ditolak: isinya akan mengembang menjadi {size} MB (batas {limit} MB) saat dibuka. Bagi menjadi beberapa arsip yang lebih kecil, lalu unggah satu per satu.",
        "bundle_nested": "Berkas {member!r} di dalam arsip adalah arsip lagi ({kind}); arsip di dalam arsip tidak dibuka. Keluarkan isinya ke arsip utama, lalu unggah lagi.",
        "bundle_member_too_big": "Berkas {member!r} di dalam arsip berukuran {size} MB setelah dibuka, melebihi batas {limit} MB per berkas; berkas ini tidak dibaca.",
        "bundle_member_ratio": "Berkas {member!r} di dalam arsip dimampatkan {ratio} kali (batas {limit} kali), ciri berkas yang dibuat untuk menghabiskan memori; berkas ini tidak dibaca.",
        "bundle_member_damaged": "Berkas {member!r} di dalam arsip rusak dan tidak bisa dikeluarkan; berkas ini tidak dibaca. Buat ulang arsipnya, lalu unggah lagi.",
        "bundle_member_method": "Berkas {member!r} di dalam arsip dimampatkan dengan cara yang tidak didukung; berkas ini tidak dibaca. Buat ulang arsipnya dengan zip biasa (di Windows: Kirim ke > Folder terkompresi), lalu unggah lagi.",
        "bundle_unnamed": "berkas tanpa nama {number}",
    }
)

# --- hardening, third round: inputs with no tolerance, forged states, unit in the title (issue 18) ---
ASSESS.update(
    {
        "stored_bad": "Isian #{id} yang tersimpan memuat {n} nilai yang tidak sah menurut aturan sekarang (disimpan sebelum batas maksimum diperiksa tanpa toleransi). Nilai di atas maksimum dihitung sebagai maksimumnya, nilai lain yang tidak sah dihitung kosong. Cara memperbaikinya: periksa nilainya di tabel di bawah lalu tekan Simpan, atau unggah lembar penilaian yang benar.",
        "stored_bad_short": "Penilaian mandiri yang dipakai (isian #{id}) memuat {n} nilai di luar batas; angka di halaman ini memakai nilai maksimumnya. Perbaiki di tab «Penilaian mandiri» (editor): periksa nilainya lalu Simpan.",
    }
)
READY_CLI.update(
    {
        "stored_bad": "Peringatan: penilaian mandiri yang tersimpan (isian #{id}) memuat nilai yang tidak sah; nilai di atas maksimum dihitung sebagai maksimumnya. Perbaiki dengan `assess` lembar yang benar (atau di halaman Kesiapan).",
    }
)
# --- download file names carry the unit and year; a plain CSV for programs (issue 19 item 13) ----
FILES = {
    "download_plain_csv": "Unduh CSV tabel saja",
    "plain_csv_help": "Hanya tabelnya: judul kolom di baris pertama, dipisah koma, desimal titik, tanggal TTTT-BB-HH. Untuk dibaca program (pandas, R, Python) tanpa melewati baris judul.",
    "plain_suffix": "-data",
}
REPORT.update(
    {
        "html_file": "laporan-rapat-zi-{owner}-posisi-{date}.html",
        "xlsx_file": "paket-excel-zi-{owner}-posisi-{date}.xlsx",
    }
)
HISTORY.update({"changes_file": "perubahan-zi-{owner}-{old}-ke-{new}.xlsx"})
ASSESS.update({"template_file": "templat-penilaian-mandiri-zi-{owner}.xlsx"})
# --- the change since the previous upload: one rule, one wording (counting/history.py) ----------
SINCE_PREVIOUS = {
    "note": "Perubahan dibanding unggahan #{id} ({file}, posisi {date}): tiap unggahan dihitung per tanggal posisinya sendiri, seperti yang terlihat di rapat saat itu.",
    "column": "Perubahan sejak unggahan sebelumnya",
}


def fmt_signed_count(x: int | float) -> str:
    """A change of a count: +3, ±0, −2."""
    x = int(x)
    return f"+{x}" if x > 0 else ("±0" if x == 0 else f"−{-x}")


# --- login limits: an admin's unlock (python -m zi_dashboard unlock NAMA) ------------------------
CLI_HELP.update(
    {
        "unlock": "hapus waktu tunggu masuk seorang editor (setelah terlalu banyak kata sandi salah), di semua alamat",
        "unlock_name": "nama editor, persis seperti di formulir Masuk",
    }
)
CLI.update(
    {
        "unlocked": "Waktu tunggu masuk untuk {name!r} dihapus ({count} catatan percobaan salah). Editor ini bisa langsung masuk lagi.",
        "unlock_none": "Tidak ada percobaan salah yang tercatat untuk {name!r}; tidak ada yang perlu dibuka.",
    }
)
# --- the LKE question by question: instrument, answers, workbook, score (docs/lke.md) -----------
MSG.update(
    {
        "lke_instr_line": "baris {line} berkas instrumen",
        "lke_instr_columns": "Berkas instrumen LKE tidak memiliki kolom: {columns}. Gunakan susunan kolom berkas lke-2026-questions.csv.",
        "lke_instr_bad_kind": "{where}: jenis jawaban {kind!r} tidak dikenal (YA_TIDAK, ABC, ABCD, ABCDE, PERSEN, JUMLAH, NILAI_0_4).",
        "lke_instr_bad_row": "{where}: kolom baris atau induk bukan nomor baris.",
        "lke_instr_bad_options": "{where}: pilihan jawaban {text!r} tidak bisa dibaca; tulis seperti A=1;B=0.5;C=0.",
        "lke_instr_bad_formula": "{where}: rumus {text!r} tidak bisa dibaca; tulis seperti 127/126 atau (152-153)/152.",
        "lke_instr_bad_zero": "{where}: aturan pembagian dengan nol {text!r} tidak dikenal (penuh, nol_semua).",
        "lke_instr_bad_above": "{where}: aturan jumlah melebihi total {text!r} tidak dikenal (galat, potong).",
        "lke_instr_bad_code": "{where}: sub-area {code!r} tidak ada dalam struktur LKE.",
        "lke_instr_bad_ref": "Pertanyaan baris {row} merujuk baris {refs} yang tidak ada dalam instrumen.",
        "lke_instr_duplicate_rows": "Berkas instrumen LKE memuat nomor baris yang sama lebih dari sekali.",
        "lke_instr_empty": "Berkas instrumen LKE tidak memuat satu pun pertanyaan.",
        "lke_answer_not_option": "jawaban {answer!r} bukan salah satu pilihan ({options})",
        "lke_answer_not_count": "jumlah {answer!r} bukan bilangan",
        "lke_answer_negative": "jumlah tidak boleh negatif ({answer})",
        "lke_answer_not_whole": "jumlah harus bilangan bulat ({answer})",
        "lke_answer_not_index": "nilai survei {answer!r} bukan angka",
        "lke_answer_index_range": "nilai survei {answer} di luar rentang 0–4",
        "lke_answer_not_percent": "persentase {answer!r} bukan angka",
        "lke_answer_percent_range": "persentase {answer!r} di luar rentang 0–100%",
        "lke_answer_date": "jawaban berupa tanggal, bukan jawaban pertanyaan ini",
        "lke_answer_bad": "Pertanyaan {code}: {reason}.",
        "lke_count_above_total": "Pertanyaan {code}: jumlah {part} melebihi jumlah seluruhnya {total} (yang sudah tidak bisa lebih banyak dari yang seharusnya); periksa kedua angka.",
        "lke_row_unknown": "baris ini berisi jawaban, tetapi pertanyaannya ({text!r}) tidak dikenali dalam instrumen LKE; jawabannya tidak dibaca",
        "lke_no_questions": "Lembar {sheet!r} memiliki kolom jawaban, tetapi tidak satu pun pertanyaan LKE dikenali di dalamnya. Pastikan kode (A., I., 1., i., a.) dan teks pertanyaan tidak diubah.",
        "lke_questions_missing": "{count} pertanyaan tidak ditemukan di lembar jawaban dan dihitung belum dijawab: {codes}.",
        "lke_no_answer_sheet": 'Berkas ini tidak memiliki lembar jawaban LKE: tidak ada kolom berjudul "Jawaban" (misalnya "Jawaban Unit") di 40 baris pertama lembar mana pun.',
        "lke_evidence_unknown": "kode {code} tidak ada dalam instrumen LKE; baris ini dilewati",
        "lke_evidence_none": "Tidak ada tautan bukti dukung yang terbaca: baris dengan kode LKE (misalnya A.1.I.i.) dan tautan http(s) tidak ditemukan.",
    }
)
LKE = {
    "level_unit": "Penilaian mandiri (unit)",
    "level_tpi": "Penilaian TPI",
    "score_title": "Nilai LKE dari jawaban",
    "pemenuhan": "Pemenuhan",
    "reform": "Reform",
    "pengungkit": "Pengungkit",
    "hasil": "Hasil",
    "total": "Total",
    "answered": "Pertanyaan terjawab",
    "unanswered": "Belum dijawab (dihitung 0)",
    "predicate": "Predikat",
    "eligible": "memenuhi syarat",
    "not_eligible": "belum memenuhi syarat",
    "area": "Area",
    "points": "Poin",
    "max": "Maksimum",
    "problems": "Catatan",
    "sheet": "Lembar",
    "evidence_links": "Tautan bukti dukung per pertanyaan",
    "help_lke": "LKE per pertanyaan: menilai lembar kerja evaluasi, membaca lembar bukti dukung",
    "help_score": "menilai lembar kerja LKE (lembar Jawaban) tanpa menyimpannya",
    "help_evidence": "membaca lembar bukti dukung/rencana aksi yang mencantumkan kode LKE (misalnya A.1.I.i.)",
    "help_file": "berkas LKE (.xlsx atau .csv)",
    "help_level": "tingkat jawaban yang dinilai: unit (penilaian mandiri, bawaan) atau tpi",
    "help_year": "tahun instrumen LKE (bawaan: instrumen terbaru)",
    "no_level": "Lembar ini tidak memiliki kolom jawaban tingkat {level}.",
}
MSG.update(
    {
        "editor_too_big": "Perubahan tabel ditolak: {added} baris ditambah, {edited} baris diubah, {deleted} baris dihapus, padahal tabel ini paling banyak {limit} baris. Tidak ada yang diubah; isi tabel seperti semula.",
        "editor_forged": "Perubahan tabel ditolak: bentuknya tidak seperti yang dikirim tabel ini ({what}). Tidak ada yang diubah; isi tabel seperti semula.",
        "editor_cell_too_long": "Perubahan tabel ditolak: ada isian lebih dari {limit} karakter. Tidak ada yang diubah; isi tabel seperti semula.",
    }
)

# --- dates and years that follow the data (issue 19 item 6) -------------------------------------
READY_CLI.update(
    {
        "as_of_today": "Catatan: berkas tidak menyebut tanggal posisi; dihitung per hari ini, {date}. Sebutkan tanggalnya dengan --as-of.",
        "no_unit": "Catatan: ada beberapa satuan kerja dan judul berkas tidak menyebut satu pun; penilaian mandiri tidak dipakai (nilainya dihitung 0). Sebutkan satker dengan --unit untuk memakai penilaian mandirinya yang tersimpan.",
    }
)
# --- two-row headers and the progress column chosen (reading/header.py, reading/progress.py) ---
MSG.update(
    {
        "progress_column_preferred": "Progres dibaca dari kolom {column!r} ({why}). Kolom lain yang mungkin: {others}. Bila salah, pilih kolom progres di Unggah (baris perintah: --progress-column).",
        "progress_why_physical": "progres fisik, yang dihitung dalam pemantauan ZI",
        "progress_why_not_money": "kolom lain berisi realisasi keuangan, bukan progres kegiatan",
    }
)
CLI_HELP.update(
    {
        "progress_column": 'nama kolom progres seperti tertulis di berkas, bila berkas punya beberapa (misalnya "REALISASI FISIK (%)")',
    }
)
UI.update(
    {
        "progress_column_choose": "Pilih kolom",
        "progress_column_auto_one": "Otomatis: {column}",
        "progress_column_any_help": "Kolom progres berkas ini belum bisa dipakai (tidak jelas, atau isinya bukan persen 0–100). Pilih kolom yang berisi progres fisik dalam persen.",
    }
)
# --- what an anonymous viewer can cost: the contact sheet kept per work plan, reads queued (issue 18) --
READY.update(
    {
        "contacts_upload": "Lembar kontak PIC (kolom PIC dan No. HP/WhatsApp): disimpan untuk satker dan tahun ini, dipakai setiap pengguna untuk tautan WhatsApp",
        "contacts_loaded": "Kontak PIC: {n} nomor dari lembar «{name}», disimpan oleh {who} ({when}); dipakai untuk semua pengguna.",
        "contacts_saved": "Lembar kontak PIC disimpan: {n} nomor, dipakai untuk tautan WhatsApp semua pengguna satker ini.",
        "contacts_none": "Belum ada lembar kontak PIC untuk satker ini: tautan WhatsApp membuka WhatsApp tanpa nomor (pilih kontaknya di sana). Editor dapat menyimpan lembar kontak di sini.",
    }
)
MSG.update(
    {
        "busy": "Server sedang sibuk membaca berkas lain (paling banyak {n} sekaligus), jadi {name!r} belum dibaca dan tidak ada yang berubah. Coba lagi sebentar lagi.",
    }
)

# --- (issue 18) a single upload whose title names another unit or year -------------------------
TITLE_UNIT = {
    "refused": "Berkas ini bukan untuk satker dan tahun yang dipilih: judulnya menyebut **{found}**, sedangkan yang dipilih **{chosen}**. Berkas tidak disimpan sebagai milik {chosen}. Pilih satker dan tahun itu di sidebar (atau tekan tombol di bawah), lalu periksa lagi; bila judulnya yang keliru, perbaiki judul di berkas lalu unggah lagi.",
    "switch": "Pindah ke {found} dan periksa berkas ini di sana",
    "no_plan": "Belum ada rencana kerja {found} di dashboard ini; tambahkan dulu lewat «Ganti rencana kerja» di bawah, lalu unggah lagi.",
    "not_yours": "Anda bukan editor {found}, jadi berkas ini tidak bisa disimpan di sana oleh Anda.",
}

# --- login limits: a long wait said in minutes -----------------------------------------------------
AUTH.update(
    {
        "locked_minutes": "Terlalu banyak percobaan yang salah. Coba lagi dalam {minutes} menit (paling lama 1 jam), atau minta admin server membuka kuncinya.",
    }
)
# --- an editor's login kept across a browser reload (issue 19 item 12) ---------------------------
CLI_HELP.update(
    {
        "logout": "akhiri semua sesi masuk seorang editor yang tersimpan (di semua browser); masuknya tidak lagi bertahan saat halaman dimuat ulang"
    }
)
SESSIONS = {
    "ended": "{count} sesi masuk {name!r} diakhiri. Browser yang memakainya harus masuk lagi dengan kata sandi.",
}

# --- Semua Satker and portfolio: each unit at its own position date (issue 19 item 6) ------------
PROVINCE.update(
    {
        "header_each": "Tahun {year} · tiap satker per tanggal posisi datanya (terbaru {date}) · {n} satuan kerja",
        "as_of_each": "Kosong: tiap satker dihitung per tanggal posisi datanya sendiri (satker tanpa unggahan per tanggal posisi terbaru satker lain). Pilih tanggal untuk menghitung semua satker per satu tanggal.",
        "as_of_each_button": "Per tanggal posisi tiap satker",
    }
)
CLI.update(
    {
        "portfolio_title_each": "Satuan kerja tahun {year}, tiap satker per tanggal posisi datanya (terbaru {date}; {n} satker)",
    }
)

# --- the LKE answers kept per work plan (app/lke.py) ---------------------------------------------
MSG.update(
    {
        "lke_app_unknown_row": "Pertanyaan baris {row} tidak ada dalam instrumen LKE yang dipakai.",
        "lke_restored_source": "pulihkan #{id}",
        "lke_instr_too_big": "Berkas instrumen terlalu besar (batas {limit} MB).",
        "lke_instr_not_utf8": 'Berkas instrumen bukan teks CSV UTF-8. Simpan dari Excel sebagai "CSV UTF-8 (Comma delimited)".',
        "lke_instr_bad_year": "Tahun instrumen {year} tidak masuk akal (2000–2100).",
    }
)
LKE.update(
    {
        "set_label": "#{id} · {at} · {by} · {source}",
    }
)
# --- English left in the browser and the CLI, in Indonesian (issue 19 item 11) -------------------
BROWSER_TEXT.extend(
    [
        ("Show/hide columns", "Tampilkan/sembunyikan kolom"),
        ("Download as CSV", "Unduh sebagai CSV"),
        ("Search", "Cari"),
        ("Close fullscreen", "Tutup layar penuh"),
        ("Fullscreen", "Layar penuh"),
        ("file upload", "unggah berkas"),
        ("Decrement", "Kurangi"),
        ("Increment", "Tambah"),
        ("Main menu", "Menu utama"),
        ("Clear all", "Hapus semua"),
        ("dd", "hh"),
        ("mm", "bb"),
        ("yyyy", "tttt"),
    ]
)
BROWSER_PREFIXES = [  # screen-reader labels Streamlit builds from a widget's label: "Help for Posisi per"
    ("Help for ", "Bantuan untuk "),
    ("day, ", "hari, "),
    ("month, ", "bulan, "),
    ("year, ", "tahun, "),
]
ARGPARSE = {  # argparse's own words (python -m zi_dashboard --help, and its errors)
    "usage: ": "penggunaan: ",
    "options": "pilihan",
    "positional arguments": "argumen",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan %(value)r tidak ada (pilih salah satu: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "paling sedikit satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah (harus %(type)s)",
    "ambiguous option: %(option)s could match %(matches)s": "pilihan %(option)s tidak jelas: bisa %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "ignored explicit argument %r": "nilai %r diabaikan",
    "can't open '%(filename)s': %(error)s": "tidak bisa membuka '%(filename)s': %(error)s",
}
READY.update(
    {
        "whatif_number_help": "Ketik angka 0 sampai {top}, dengan koma desimal (misalnya 3,7).",
        "whatif_number_bad": "«{text}» bukan angka 0 sampai {top} untuk {label}; yang dihitung tetap {used}. Ketik angka dengan koma desimal, misalnya 3,7.",
    }
)
# --- an older file never replaces newer data (issue 19 item 2) ----------------------------------
OLDER = {
    "notice": "Berkas ini berposisi {date}, lebih lama dari data yang dipakai sekarang (unggahan #{id}, posisi {current_date}). Bila disimpan, berkas ini masuk riwayat tetapi tidak menggantikan data yang dipakai. Untuk memakainya, pulihkan unggahannya di Riwayat.",
    "save": "Simpan ke riwayat",
    "kept": "Tersimpan sebagai unggahan #{id} (posisi {date}) di riwayat. Data yang dipakai tetap unggahan #{current} (posisi {current_date}), yang lebih baru; untuk memakai unggahan #{id}, pulihkan di Riwayat.",
}
# --- Riwayat's years compared by component name (issue 19 item 3) -------------------------------
YEARS_MATCHED = {
    "note": "Komponen dicocokkan antartahun menurut namanya (bukan nomornya); nomor dan nama yang tertulis mengikuti rencana tahun terbaru.",
}

# --- the LKE workbook exported, imported and uploaded (issue 22 items 3, 7, 8) ------------------
LKE_EXPORT = {
    "id": "ID",
    "component": "Komponen",
    "weight": "Bobot",
    "criteria": "Kriteria Nilai",
    "options": "Pilihan Jawaban",
    "answer_unit": "Jawaban Unit",
    "note_unit": "Catatan",
    "evidence_unit": "Bukti Dukung",
    "link_unit": "Tautan Bukti Dukung",
    "answer_tpi": "Jawaban TPI",
    "value_tpi": "Nilai TPI",
    "pct_tpi": "%",
    "note_tpi": "Catatan TPI",
    "value_unit": "Nilai Unit",
    "points_unit": "Poin Unit",
    "points_tpi": "Poin TPI",
    "option": "{name} = {value}",
    "pengungkit": "PENGUNGKIT",
    "pemenuhan": "PEMENUHAN",
    "reform": "REFORM",
    "hasil": "HASIL",
    "hasil_ipak": "Indeks Persepsi Anti Korupsi (IPAK)",
    "hasil_kinerja": "Capaian kinerja lebih baik dari sebelumnya",
    "hasil_ipkp": "Indeks Persepsi Kualitas Pelayanan (IPKP)",
    "total": "NILAI TOTAL",
    "col_no": "No",
    "col_component": "Komponen",
    "col_max": "Bobot",
    "col_points": "Nilai",
    "col_pct": "% dari bobot",
    "areas_title": "Nilai per area (Pemenuhan + Reform)",
    "gates_title": "Syarat predikat {predicate}",
    "predicate": "Memenuhi syarat {predicate}",
    "yes": "Ya",
    "no": "Tidak",
    "sheet_unit": "Unit",
    "sheet_tpi": "TPI",
    "title_unit": "Rekapitulasi nilai LKE Zona Integritas · penilaian mandiri (unit)",
    "title_tpi": "Rekapitulasi nilai LKE Zona Integritas · penilaian TPI",
    "title_where": "{unit} · tahun {year} · instrumen LKE {instrument}",
}

# --- Jawaban LKE: the LKE answered question by question in the app (issue 22 items 4-6) ---------
PAGES.update({"lke": "Jawaban LKE"})
LKE_PAGE = {
    "intro": "Nilai dari jawaban dihitung dari jawaban LKE pertanyaan per pertanyaan, dengan aturan LKE sendiri (pertanyaan yang belum dijawab dihitung 0). Perkiraan dari rencana (halaman Kesiapan) dihitung dari progres rencana kerja × bobot; keduanya berbeda bila progres dan jawaban tidak sejalan.",
    "none_saved": "Belum ada jawaban LKE yang disimpan untuk satker dan tahun ini: semua pertanyaan dihitung 0.",
    "in_use": "Jawaban yang dipakai: set #{id} · {when} · {who} · {source}",
    "instrument": "Instrumen LKE {year}",
    "card_total": "Total dari jawaban",
    "card_pengungkit": "Pengungkit",
    "card_hasil": "Hasil",
    "card_answered": "Pertanyaan terjawab",
    "of_max": "dari {max}",
    "answered_note": "{n} belum dijawab",
    "predicate": "Predikat {name}",
    "yes": "Memenuhi",
    "no": "Belum",
    "eligible": "semua syarat terpenuhi",
    "not_eligible": "{n} syarat belum terpenuhi",
    "compare_title": "Nilai dari jawaban dan perkiraan dari rencana",
    "compare_caption": "Perkiraan dari rencana adalah PERKIRAAN (progres rencana kerja × bobot LKE, Reform dan Hasil dari penilaian mandiri di Kesiapan), bukan nilai LKE. Selisih = dari jawaban − perkiraan.",
    "col_item": "Bagian",
    "col_answers": "Dari jawaban",
    "col_forecast": "Perkiraan dari rencana",
    "col_diff": "Selisih",
    "col_max": "Maks.",
    "row_total": "Total",
    "row_pengungkit": "Pengungkit",
    "row_pemenuhan": "Pemenuhan",
    "row_reform": "Reform",
    "row_hasil": "Hasil",
    "row_area": "Area {code}. {name}",
    "gates_title": "Syarat predikat dari jawaban",
    "tab_questions": "Pertanyaan",
    "tab_next": "Yang perlu diperbaiki",
    "tab_whatif": "Simulasi jawaban",
    "tab_history": "Riwayat jawaban",
    "area_tab": "Area {code}",
    "hasil_tab": "Hasil",
    "sub_area": "{code} {name} · {points} dari {max} poin · {answered}/{n} terjawab",
    "plan_row": "Rencana kerja baris {code}: progres {progress} · {status} · PIC: {pic} · poin dari jawaban {points} dari {max}",
    "plan_row_missing": "Rencana kerja tidak memiliki baris {code}.",
    "question_head": "**{label}** · {kind} · nilai {value} · {points} dari {max} poin",
    "criteria": "Kriteria: {text}",
    "options": "Pilihan: {text}",
    "answer": "Jawaban unit: {answer}",
    "not_answered": "belum dijawab (dihitung 0)",
    "note": "Catatan: {text}",
    "evidence": "Bukti dukung: {text}",
    "links": "Tautan: {links}",
    "no_links": "Tautan: belum ada",
    "counts": "→ hasilnya {pct}",
    "counts_missing": "Jumlahnya belum lengkap (dihitung 0 kecuali persentase diketik):",
    "count_line": "{text} = {value}",
    "percent_typed": "Persentase diketik: {pct}",
    "input_answer": "Jawaban {label}",
    "input_note": "Catatan {label}",
    "input_links": "Tautan bukti dukung {label} (satu per baris)",
    "input_count": "{label}: {text}",
    "input_percent": "{label}: persentase (hanya dipakai bila jumlahnya kosong)",
    "input_index": "{label}: indeks 0–4 (misalnya 3,62)",
    "choice_empty": "– belum dijawab –",
    "save_area": "Simpan jawaban {name}",
    "saved": "Jawaban LKE disimpan sebagai set #{id}; set ini yang dipakai sekarang.",
    "invalid": "Jawaban tidak disimpan: {n} kesalahan. Tidak ada yang berubah; perbaiki lalu simpan lagi.",
    "need_editor": "Hanya editor Tim ZI satker ini yang dapat mengubah jawaban. Masuk di sidebar untuk mengedit.",
    "editor_caption": "Ubah jawaban di formulir area ini lalu tekan Simpan. Setiap simpanan menjadi set baru (yang lama tetap ada di Riwayat jawaban).",
    "open_title": "Poin yang masih terbuka per pertanyaan",
    "open_caption": "Poin terbuka = bobot pertanyaan × (1 − nilai jawaban); yang terbesar di atas.",
    "open_none": "Tidak ada poin yang masih terbuka.",
    "steps_title": "Langkah termurah: naik satu pilihan",
    "steps_caption": "Untuk setiap pertanyaan pilihan: jawaban satu tingkat lebih baik dan poin yang ditambahkannya.",
    "steps_none": "Tidak ada pertanyaan pilihan yang bisa naik.",
    "unanswered_title": "Belum dijawab",
    "unanswered_none": "Semua pertanyaan sudah dijawab.",
    "no_evidence_title": "Sudah dijawab tanpa tautan bukti dukung",
    "no_evidence_none": "Setiap jawaban punya tautan bukti dukung.",
    "gaps_title": "Syarat yang belum terpenuhi (dari jawaban)",
    "gaps_none": "Semua syarat {name} terpenuhi.",
    "missing_for": "Untuk {name}",
    "col_code": "Kode",
    "col_letter": "Huruf",
    "col_question": "Pertanyaan",
    "col_answer": "Jawaban",
    "col_value": "Nilai",
    "col_points": "Poin",
    "col_open": "Poin terbuka",
    "col_step": "Naik ke",
    "col_adds": "Menambah",
    "col_worth": "Bobot",
    "whatif_caption": "Pilih jawaban lain untuk beberapa pertanyaan dan lihat setiap syarat bergerak. Tidak ada yang disimpan; hanya untuk sesi ini (paling banyak {n} pertanyaan).",
    "whatif_pick": "Jawaban yang dicoba",
    "whatif_placeholder": "Pilih pertanyaan dan jawabannya",
    "whatif_option": "{label} → {answer} (sekarang {now})",
    "whatif_result": "Dengan jawaban ini: total **{total}** ({delta}), Pengungkit {pengungkit}, Hasil {hasil}; WBK {wbk}, WBBM {wbbm}.",
    "history_caption": "Setiap simpanan jawaban disimpan utuh dengan siapa dan kapan; yang terbaru dipakai. Memulihkan set lama menyimpannya sebagai set baru: tidak ada yang hilang.",
    "history_none": "Belum ada set jawaban yang disimpan.",
    "restore_pick": "Set yang dipulihkan",
    "restore": "Pulihkan set ini",
    "restored": "Set #{old} dipulihkan sebagai set #{id}; set ini yang dipakai sekarang.",
    "col_set": "Set",
    "col_at": "Waktu",
    "col_by": "Oleh",
    "col_source": "Asal",
    "source_app": "aplikasi (Jawaban LKE)",
    "col_lke_points": "Poin LKE dari jawaban",
}
LKE_KINDS = {  # answer types (reading/lke_instrument.py) as the page names them
    "YA_TIDAK": "Ya/Tidak",
    "ABC": "A/B/C",
    "ABCD": "A/B/C/D",
    "ABCDE": "A/B/C/D/E",
    "PERSEN": "persentase",
    "JUMLAH": "jumlah",
    "NILAI_0_4": "indeks 0–4",
}
# --- figures readable everywhere: the report's timeline, phones, projectors, Semua Satker (issue 19 items 7-10) ---
MEETING_FIT = {
    "more": "… dan {n} syarat lain (lihat halaman Kesiapan)",
}

LKE_CLI = {
    "help_import": "simpan jawaban LKE sebuah lembar kerja untuk satker dan tahun (ditolak bila ada galat; tidak ada yang disimpan)",
    "help_export": "tulis lembar kerja LKE (tata letak resmi, dengan rumus Excel) dari jawaban yang dipakai",
    "help_out": "berkas .xlsx yang ditulis",
    "help_level": "tingkat jawaban yang disimpan: unit (penilaian mandiri, bawaan) atau tpi",
    "help_instrument": "tambahkan instrumen LKE yang lebih baru (CSV pertanyaan seperti data/lke-2026-questions.csv)",
    "help_instrument_file": "berkas CSV instrumen (kolom baris, bagian, kode, huruf, jenis, pertanyaan, kriteria, pilihan, induk, rumus)",
    "help_instrument_year": "tahun instrumen: rencana kerja tahun ini dan sesudahnya memakainya",
    "refused": "Lembar kerja LKE {name!r} ditolak: {n} galat. Tidak ada yang disimpan; perbaiki lalu impor lagi.",
    "imported": "Jawaban LKE tersimpan sebagai set #{id} ({level}) untuk {unit} tahun {year}: {answered} dari {questions} pertanyaan terjawab, nilai total {total} (Pengungkit {pengungkit}); sekarang menjadi jawaban yang dipakai.",
    "exported": "Lembar kerja LKE {unit} tahun {year} ditulis ke {path}: jawaban set #{id}, {answered} dari {questions} pertanyaan terjawab, nilai total {total}.",
    "exported_empty": "Belum ada jawaban LKE tersimpan untuk {unit} tahun {year}; lembar kerja kosong (siap diisi) ditulis ke {path}.",
    "instrument_refused": "Instrumen LKE ditolak, tidak ada yang disimpan: {reason}",
    "instrument_added": "Instrumen LKE {year} tersimpan: {n} baris jawaban ({scored} pertanyaan dinilai). Rencana kerja tahun {year} dan sesudahnya memakainya.",
}
# --- Semua Satker: a word why in place of a blank; /provinsi with one unit (issue 19 item 10) ---
FIGURES = {
    "no_upload": "belum ada",
    "no_assessment": "belum dinilai",
    "not_eligible": "belum memenuhi",
    "province_blanks": "«belum ada»: satker itu belum pernah mengunggah progres (tanpa unggahan, capaiannya 0%). «belum dinilai»: satker itu belum menyimpan penilaian mandiri di halaman Kesiapan, jadi Kesiapan LKE dan Predikat belum bisa diperkirakan. «belum memenuhi»: perkiraannya belum mencapai syarat WBK.",
    "province_one": "Semua Satker membandingkan beberapa satuan kerja; sekarang hanya ada satu ({unit}), jadi halaman ini tidak ada di menu. Lihat capaiannya di Ringkasan.",
    "province_one_link": "Buka Ringkasan",
}

LKE_UPLOAD = {
    "title": "Unggah LKE",
    "in_use": "Jawaban LKE yang dipakai: set {label} · nilai total {total}.",
    "none_in_use": "Belum ada jawaban LKE tersimpan untuk satker dan tahun ini; lembar kerja yang diunduh masih kosong (siap diisi).",
    "download": "Unduh lembar kerja LKE (Excel)",
    "workbook_title": "Lembar kerja LKE",
    "workbook_upload": "Lembar kerja LKE (lembar Jawaban, .xlsx)",
    "workbook_help": "Lembar kerja evaluasi yang diisi Tim ZI: kolom Jawaban Unit, Catatan, Bukti Dukung, Tautan (dan Jawaban TPI bila ada). Dibaca dan dinilai dulu; disimpan hanya bila Anda menekan Simpan.",
    "found": "Lembar **{sheet}**: {n} baris jawaban dikenali (instrumen LKE {year}). Nilai dari jawaban per tingkat:",
    "col_level": "Tingkat",
    "col_pemenuhan": "Pemenuhan",
    "col_reform": "Reform",
    "col_pengungkit": "Pengungkit",
    "col_hasil": "Hasil",
    "col_total": "Total",
    "col_answered": "Terjawab",
    "yes": "✓ memenuhi",
    "no": "✗ belum",
    "invalid": "Lembar ini belum bisa disimpan: {n} galat. Perbaiki baris yang disebut di bawah, lalu unggah lagi.",
    "nothing_saved": "Tidak ada yang disimpan.",
    "level": "Simpan jawaban tingkat",
    "save": "Simpan jawaban LKE ({level})",
    "saved": "Jawaban LKE tersimpan sebagai set #{id} ({level}): {answered} dari {questions} pertanyaan terjawab, nilai total {total}. Sekarang menjadi jawaban yang dipakai.",
    "evidence_title": "Lembar bukti dukung",
    "evidence_upload": "Lembar bukti dukung atau rencana aksi dengan kode LKE (misalnya A.1.I.i.)",
    "evidence_help": "Setiap baris dengan kode LKE dan huruf pertanyaannya; setiap tautan http(s) di baris itu menjadi bukti dukung pertanyaan tersebut. Jawaban tidak berubah.",
    "col_question": "Pertanyaan",
    "col_links": "Tautan",
    "evidence_adds": "{n} tautan baru untuk {questions} pertanyaan akan ditambahkan ke jawaban yang dipakai (disimpan sebagai set jawaban baru; jawabannya sendiri tidak berubah).",
    "evidence_nothing_new": "Semua tautan di lembar ini sudah ada pada jawaban yang dipakai; tidak ada yang perlu disimpan.",
    "evidence_save": "Tambahkan {n} tautan bukti dukung",
    "evidence_saved": "{n} tautan bukti dukung ditambahkan; tersimpan sebagai set jawaban #{id}.",
    "instrument_title": "Instrumen LKE yang lebih baru",
    "instrument_intro": "Instrumen yang dikenal: {years}. Rencana kerja suatu tahun memakai instrumen terbaru yang tahunnya tidak sesudah tahun itu.",
    "instrument_year": "Tahun instrumen",
    "instrument_upload": "Berkas instrumen (CSV pertanyaan seperti data/lke-2026-questions.csv)",
    "instrument_save": "Tambahkan instrumen LKE {year}",
    "instrument_refused": "Instrumen ditolak, tidak ada yang disimpan: {reason}",
    "instrument_saved": "Instrumen LKE {year} tersimpan ({n} pertanyaan dinilai); rencana kerja tahun {year} dan sesudahnya memakainya.",
}

# --- Laporan monev: the quarterly monitoring report as .docx and PDF (issue 24) ---
MONEV = {
    "title": "LAPORAN MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS",
    "period": "Triwulan {q} Tahun {year} (posisi data per {date})",
    "number_blank": "…/…/…/{year}",
    "number_label": "Nomor",
    "date_label": "Tanggal",
    "period_label": "Periode",
    "office_default": "Tim Zona Integritas {unit}",
    "position_default": "Ketua Tim Zona Integritas",
    "blank": "……………………",
    "nip": "NIP. {nip}",
    "source": "Sumber data: {source}; posisi data {position}.",
    "h_summary": "A. Ringkasan Capaian",
    "h_components": "B. Capaian per Komponen",
    "h_timeline": "C. Linimasa Rencana Aksi",
    "h_overdue": "D. Rencana Aksi Terlambat",
    "h_changes": "E. Perkembangan sejak Laporan Sebelumnya",
    "h_readiness": "F. Kesiapan WBK/WBBM",
    "h_evidence": "G. Kelengkapan Bukti Dukung",
    "h_follow": "H. Tindak Lanjut dan Rekomendasi per PIC",
    "h_annex": "Lampiran: Seluruh Rencana Aksi",
    "overall": "Capaian keseluruhan (realisasi)",
    "planned": "Target rencana pada tanggal posisi",
    "gap": "Selisih realisasi terhadap rencana",
    "rows": "Jumlah rencana aksi",
    "status_count": "Status {status}",
    "col_figure": "Uraian",
    "col_value": "Nilai",
    "col_change": "Perubahan",
    "none_overdue": "Tidak ada rencana aksi yang terlambat per {date}.",
    "none_follow": "Tidak ada rencana aksi yang perlu ditindaklanjuti per {date}.",
    "score_answers": "Nilai dari jawaban LKE yang tersimpan ({answered} dari {questions} pertanyaan dijawab).",
    "score_forecast": "Perkiraan dari capaian rencana kerja dan penilaian mandiri (belum ada jawaban LKE yang tersimpan).",
    "predicate": "Predikat {name}: {result}",
    "timeline_caption": "Batang: periode target; bagian gelap: progres; garis merah: tanggal posisi {date}.",
    "signature_place_date": "{place}, {date}",
    "page": "Halaman",
    "page_of": "dari",
    "docx_file": "laporan-monev-zi",
    # a template that cannot be used: what is wrong, never a traceback
    "download_docx": "Laporan monev (.docx)",
    "download_pdf": "Laporan monev (.pdf)",
    "download_help": "Laporan monitoring dan evaluasi triwulanan dengan kop surat dan blok tanda tangan, dari data dan tanggal posisi yang sedang ditampilkan.",
    "pdf_unavailable": "PDF tidak dapat dibuat di server ini (pustaka WeasyPrint atau pustaka sistemnya belum terpasang).",
    "tpl_too_big": "Templat laporan terlalu besar ({size} MB; paling besar {limit} MB).",
    "tpl_not_docx": "Templat laporan bukan berkas Word .docx yang dapat dibaca: {reason}",
    "tpl_macro": "Templat laporan berisi makro (berkas .docm atau vbaProject): tidak dipakai. Simpan templat sebagai .docx biasa tanpa makro.",
    "tpl_unpacked_too_big": "Isi templat laporan terlalu besar setelah dibuka ({size} MB; paling besar {limit} MB).",
    "tpl_syntax": "Templat laporan rusak di placeholder: {reason}",
    "tpl_unknown": "Templat laporan memakai placeholder yang tidak dikenal: {names}. Placeholder yang tersedia: {known}.",
    "tpl_forbidden": "Templat laporan mencoba sesuatu yang tidak diizinkan: {reason}",
    "tpl_failed": "Templat laporan tidak dapat diisi: {reason}",
}
MONEV_CLI = {
    "format": "jenis laporan: html (laporan rapat, bawaan), docx (laporan monev Word) atau pdf (laporan monev PDF)",
    "template": "templat Word (.docx) laporan monev milik kantor; tanpa ini templat bawaan dipakai",
    "number": "nomor surat laporan monev",
    "signer": 'penanda tangan: "Nama" atau "Nama;NIP" atau "Nama;NIP;Jabatan"',
    "place": "tempat penandatanganan (mis. Tasikmalaya)",
    "address": "alamat kantor untuk kop surat",
    "doc_date": "tanggal surat (YYYY-MM-DD); bawaan: hari ini",
    "out_type": "Jenis laporan {fmt} ditulis ke berkas .{ext}; --out berakhiran lain: {path}",
}

LKE_MEETING = {
    "title": "Nilai LKE dari jawaban",
    "sheet": "Nilai LKE",
    "line": "Nilai dari jawaban LKE: total {total} · Pengungkit {pengungkit} · WBK {wbk} · WBBM {wbbm} (jawaban {source})",
    "met": "✓ memenuhi",
    "not_met": "✗ belum",
}

# --- Mandiri vs TPI: the unit's LKE score beside the TPI's (issue 23 item 4) -----------------------
LKE_COMPARE = {
    "title": "Mandiri vs TPI",
    "sheet": "Mandiri vs TPI",
    "intro": "Nilai LKE dari jawaban unit (penilaian mandiri) di samping nilai dari jawaban Tim Penilai Internal (TPI), dengan aturan LKE yang sama. Selisih = TPI − mandiri: angka negatif berarti TPI memberi poin lebih sedikit daripada yang diklaim unit, dan itulah yang perlu ditutup.",
    "none": "Belum ada penilaian TPI untuk satker dan tahun ini: yang tampil hanya nilai mandiri.",
    "line": "Mandiri {unit} · TPI {tpi} · selisih {diff} · {predicates}",
    "line_predicate": "{name} (mandiri / TPI) {pair}",
    "reviewed": "TPI menjawab {answered} dari {n} pertanyaan · {differ} pertanyaan berbeda ({stake} poin dipertaruhkan) · {pending} jawaban unit belum dinilai TPI",
    "of_max": "dari {max}",
    "figures_title": "Nilai per bagian dan area",
    "diff_caption": "Selisih = TPI − mandiri; negatif: TPI memberi poin lebih sedikit.",
    "gates_title": "Syarat predikat: mandiri dan TPI",
    "gates_caption": "✓ / ✗ = memenuhi atau belum, menurut jawaban unit / menurut jawaban TPI.",
    "differing_title": "Pertanyaan yang nilainya berbeda",
    "differing_caption": "Diurutkan dari poin terbanyak yang dipertaruhkan (selisih poin TPI − mandiri). Pertanyaan yang belum dijawab TPI tidak termasuk.",
    "differing_none": "Tidak ada pertanyaan yang dinilai berbeda oleh TPI.",
    "returned_title": "Dikembalikan untuk perbaikan",
    "returned_caption": "Pertanyaan yang dikembalikan TPI beserta catatannya, per PIC baris rencana kerja (pertanyaan Reform dan Hasil: tanpa PIC).",
    "pic_title": "{pic} · {n} pertanyaan dikembalikan",
    "message_line": "- {label} {text}: {note} (jawaban unit {unit}, TPI {tpi})",
    "no_note": "tanpa catatan",
    "col_item": "Bagian",
    "col_unit": "Mandiri",
    "col_tpi": "TPI",
    "col_diff": "Selisih",
    "col_max": "Maks.",
    "col_gate": "Syarat",
    "col_threshold": "Batas {name}",
    "col_verdict": "{name} (mandiri / TPI)",
    "col_code": "Kode",
    "col_letter": "Huruf",
    "col_question": "Pertanyaan",
    "col_answer_unit": "Jawaban mandiri",
    "col_answer_tpi": "Jawaban TPI",
    "col_points_unit": "Poin mandiri",
    "col_points_tpi": "Poin TPI",
    "col_stake": "Selisih poin",
    "col_note": "Catatan TPI",
    "col_pic": "PIC",
    "col_note_plain": "Keterangan",
}

# --- Penilaian TPI (issue 23): reviewers, rounds, verdicts, the history of a question ---------
LKE_REVIEW = {
    "state_mandiri": "Penilaian mandiri",
    "state_diajukan": "Diajukan ke TPI",
    "state_dinilai": "Dinilai TPI",
    "state_dikembalikan": "Dikembalikan untuk perbaikan",
    "state_diajukan_ulang": "Diajukan ulang",
    "state_diusulkan": "Selesai: Diusulkan",
    "state_pembinaan": "Selesai: Pembinaan",
    "verdict_sesuai": "Sesuai",
    "verdict_perbaikan": "Perlu perbaikan",
    "verdict_none": "Belum dinilai",
    "role_unit": "editor satker",
    "role_tpi": "penilai TPI",
    "role_admin": "admin (editor semua satker)",
    "no_write_unit": "Hanya editor satker ini yang dapat mengubah jawaban unit; penilai TPI tidak dapat mengubahnya.",
    "no_write_tpi": "Hanya penilai TPI satker ini yang dapat mengisi jawaban, penilaian dan catatan TPI.",
    "closed_unit": "Jawaban unit tidak dapat diubah saat LKE berstatus «{state}»: unit hanya mengubah jawaban pada Penilaian mandiri atau setelah dikembalikan untuk perbaikan.",
    "closed_tpi": "Penilaian TPI tidak dapat diubah saat LKE berstatus «{state}»: TPI menilai setelah LKE diajukan (atau diajukan ulang) dan sebelum selesai.",
    "unknown_state": "Status «{state}» tidak dikenal.",
    "bad_move": "LKE berstatus «{current}» tidak dapat dipindah ke «{target}».",
    "not_your_move": "Memindah LKE ke «{target}» hanya dapat dilakukan oleh {who}.",
    "nothing_to_return": "Tidak ada pertanyaan yang dinilai «Perlu perbaikan»: tidak ada yang dikembalikan.",
    "returns_open": "Masih ada {n} pertanyaan berstatus «Perlu perbaikan»: LKE belum dapat diusulkan.",
    "no_verdicts": "Belum ada pertanyaan yang dinilai TPI (Sesuai / Perlu perbaikan).",
    "no_deadline_right": "Tenggat hanya dapat ditetapkan oleh penilai TPI satker ini atau admin.",
    "no_deadline_stage": "Tahap «{state}» tidak memiliki tenggat.",
    "stale": "Status LKE sudah berubah (sekarang «{state}») sejak halaman dibuka; muat ulang halaman lalu coba lagi.",
    "step_unit": "{by} (unit) menjawab {answer}",
    "step_blank": "(kosong)",
    "step_tpi": "{by} (TPI): {verdict}",
    "step_tpi_answer": ", jawaban TPI {answer}",
    "step_note": ": «{note}»",
    "step_links": " (+{n} tautan)",
}

# --- Laporan monev: the office's own template on Unggah, checked and filled in a child process (issue 24 item 2) ---
MONEV.update(
    {
        "tpl_syntax": "Templat laporan rusak di placeholder{where}: {reason}",
        "tpl_unknown": "Templat laporan memakai placeholder yang tidak dikenal: {names}{where}. Placeholder yang tersedia: {known}.",
        "tpl_where": " (paragraf ke-{n}: «{text}»)",
        "tpl_unclosed": "blok '{0}' tidak ditutup; tambahkan {{% end{0} %}} di tempat blok itu berakhir",
        "tpl_unclosed_any": "templat berakhir sebelum sebuah blok {{% ... %}} ditutup",
        "tpl_unexpected": "tanda '{0}' tidak pada tempatnya; periksa pasangan {{{{ }}}} atau {{% %}}",
        "tpl_unknown_tag": "perintah '{0}' tidak dikenal di dalam {{% %}}",
        "tpl_expected": "seharusnya '{0}', tertulis '{1}'",
        "tpl_jinja": "{jinja}",
        "tpl_bad_xml": "Templat laporan rusak: bagian {part} bukan XML yang utuh (baris {line}: {reason}). Buka dan simpan ulang templat di Word.",
        "tpl_dtd": "Templat laporan ditolak: bagian {part} memuat deklarasi DTD/entitas, yang tidak pernah ditulis Word.",
        "tpl_content_type": "Templat laporan bukan dokumen Word .docx (jenis isi: {type}). Di Word pilih File > Save As > Word Document (.docx), lalu unggah berkas itu.",
        "tpl_embedded": "Templat laporan berisi objek tersemat (OLE atau ActiveX): tidak dipakai. Hapus objek itu, simpan sebagai .docx biasa, lalu unggah lagi.",
        "tpl_external": "Templat laporan menautkan berkas di luar dokumen ({kind}: {target}): tidak dipakai, karena Word akan membukanya saat laporan dibuka. Hapus tautan itu lalu unggah lagi.",
        "tpl_parts": "Templat laporan terdiri dari terlalu banyak bagian ({n}; paling banyak {limit}).",
        "tpl_no_document": "bagian word/document.xml tidak ada",
        "tpl_not_zip": "isinya bukan arsip .docx yang utuh ({reason})",
        "tpl_too_heavy": "Templat laporan terlalu berat untuk diisi: pengisiannya melewati batas {limit}, jadi dihentikan dan tidak ada yang berubah. Periksa perulangan {{% for %}} di templat.",
        "tpl_busy": "Server sedang sibuk mengisi templat lain; coba lagi sebentar lagi.",
    }
)

# --- Mandiri vs TPI on Kesiapan and in Mode rapat (issue 23 item 4) -------------------------------
LKE_COMPARE.update(
    {
        "card_unit": "Nilai mandiri",
        "card_tpi": "Nilai TPI",
        "card_diff": "Selisih",
        "diff_note": "TPI − mandiri",
        "card_stake": "Pertanyaan berbeda",
        "card_stake_note": "{points} poin dipertaruhkan",
        "card_predicate": "{name}",
        "card_predicate_note": "mandiri / TPI",
        "sets": "Jawaban yang dibandingkan: {source}",
        "differing_more": "… dan {n} pertanyaan lain (lihat halaman Kesiapan atau paket Excel).",
    }
)
MEETING["views"]["tpi"] = "Mandiri vs TPI"
MONEV["h_tpi"] = "F.2 Nilai Mandiri dan Nilai TPI"

# --- storage: the words the store and the editors' set-up write ---------------------------------
STORAGE = {
    "system_user": "sistem",  # who stored what the dashboard stored by itself (the bundled plan)
    "unnamed_file": "berkas",  # a stored file's name when the given one had nothing printable left
    "editor_created": (
        "\n" + "=" * 72 + "\n"
        "  Dashboard ZI: belum ada editor yang dikonfigurasi.\n"
        "  Editor baru dibuat. Catat kata sandinya sekarang; hanya ditampilkan sekali ini:\n\n"
        "      nama: {name}\n      kata sandi: {password}\n\n"
        "  Ganti atau tambah editor: python -m zi_dashboard hash-password, lalu isi\n"
        '  .streamlit/secrets.toml ([editors] nama = "hash") atau ZI_EDITORS=nama:hash.\n' + "=" * 72 + "\n"
    ),
}
