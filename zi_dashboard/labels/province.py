"""Semua Satker (the province view), the portfolio and the year comparison."""

from __future__ import annotations

from zi_dashboard.labels.common import BEHIND, DONE, NOT_STARTED, ON_TRACK, OVERDUE

# --- province view (Semua Satker) and the year comparison -----------------------------------------
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
    # Semua Satker and portfolio: each unit at its own position date
    "header_each": "Tahun {year} · tiap satker per tanggal posisi datanya (terbaru {date}) · {n} satuan kerja",
    "as_of_each": "Kosong: tiap satker dihitung per tanggal posisi datanya sendiri (satker tanpa unggahan per tanggal posisi terbaru satker lain). Pilih tanggal untuk menghitung semua satker per satu tanggal.",
    "as_of_each_button": "Per tanggal posisi tiap satker",
}

# --- Semua Satker: a word why in place of a blank; /provinsi with one unit ---------------------------
FIGURES = {
    "no_upload": "belum ada",
    "no_assessment": "belum dinilai",
    "not_eligible": "belum memenuhi",
    "province_blanks": "«belum ada»: satker itu belum pernah mengunggah progres (tanpa unggahan, capaiannya 0%). «belum dinilai»: satker itu belum menyimpan penilaian mandiri di halaman Kesiapan, jadi Kesiapan LKE dan Predikat belum bisa diperkirakan. «belum memenuhi»: perkiraannya belum mencapai syarat WBK.",
    "province_one": "Semua Satker membandingkan beberapa satuan kerja; sekarang hanya ada satu ({unit}), jadi halaman ini tidak ada di menu. Lihat capaiannya di Ringkasan.",
    "province_one_link": "Buka Ringkasan",
}
