"""The pages' words: sidebar, Ringkasan, Linimasa, Terlambat, Tabel, Unggah, Riwayat, Mode rapat, login, and Streamlit's own English swapped in the browser."""

from __future__ import annotations

# Streamlit's own words in its widgets (date picker, file uploader, list boxes) that no option turns
# into Indonesian: the page swaps them as they appear (app/ui/page_head.py, translator).  (English, Indonesian)
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
    # more of Streamlit's English: data-table toolbar, number inputs, menu, date fields
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
    # the hint under a typed field: of the login form (the other forms show none:
    # ui.common.form), and of a field outside a form
    ("Press Enter to submit form", "Tekan Enter untuk mengirim formulir"),
    ("Press ⌘+Enter to submit form", "Tekan ⌘+Enter untuk mengirim formulir"),
    ("Press Ctrl+Enter to submit form", "Tekan Ctrl+Enter untuk mengirim formulir"),
    ("Press Enter to apply", "Tekan Enter untuk menerapkan"),
    ("Press ⌘+Enter to apply", "Tekan ⌘+Enter untuk menerapkan"),
    ("Press Ctrl+Enter to apply", "Tekan Ctrl+Enter untuk menerapkan"),
]

# --- pages ------------------------------------------------------------------------------
PAGES = {
    "overview": "Ringkasan",
    "history": "Riwayat",
    "timeline": "Linimasa",
    "overdue": "Terlambat",
    "table": "Tabel",
    "upload": "Unggah",
    "readiness": "Kesiapan",
    # Jawaban LKE: the LKE answered question by question in the app
    "lke": "Jawaban LKE",
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
    "progress_column_choose": "Pilih kolom",
    "progress_column_auto_one": "Otomatis: {column}",
    "progress_column_any_help": "Kolom progres berkas ini belum bisa dipakai (tidak jelas, atau isinya bukan persen 0–100). Pilih kolom yang berisi progres fisik dalam persen.",
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
    "changes_file": "perubahan-zi-{owner}-{old}-ke-{new}.xlsx",
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
    "corner": "{unit} · {as_of_label} {date} · {source}",
    "pack": "Bahan rapat",
    "pack_intro": "Unduh laporan rapat (satu berkas HTML yang terbuka tanpa internet dan siap dicetak A4 mendatar) atau paket Excel untuk notulen.",
}

# the heading of each of Mode rapat's slides
MEETING_VIEWS = {
    "headline": "Capaian keseluruhan dan status rencana aksi",
    "components": "Capaian per komponen",
    "timeline": "Linimasa terhadap target waktu",
    "overdue": "Rencana aksi terlambat dan penanggung jawabnya",
    "changes": "Perubahan sejak unggahan sebelumnya",
    "readiness": "Kesiapan WBK/WBBM (perkiraan)",
    "tpi": "Mandiri vs TPI",
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
    # login limits: a long wait said in minutes
    "locked_minutes": "Terlalu banyak percobaan yang salah. Coba lagi dalam {minutes} menit (paling lama 1 jam), atau minta admin server membuka kuncinya.",
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

# --- a single upload whose title names another unit or year ------------------------------------
TITLE_UNIT = {
    "refused": "Berkas ini bukan untuk satker dan tahun yang dipilih: judulnya menyebut **{found}**, sedangkan yang dipilih **{chosen}**. Berkas tidak disimpan sebagai milik {chosen}. Pilih satker dan tahun itu di sidebar (atau tekan tombol di bawah), lalu periksa lagi; bila judulnya yang keliru, perbaiki judul di berkas lalu unggah lagi.",
    "switch": "Pindah ke {found} dan periksa berkas ini di sana",
    "no_plan": "Belum ada rencana kerja {found} di dashboard ini; tambahkan dulu lewat «Ganti rencana kerja» di bawah, lalu unggah lagi.",
    "not_yours": "Anda bukan editor {found}, jadi berkas ini tidak bisa disimpan di sana oleh Anda.",
}

BROWSER_PREFIXES = [  # screen-reader labels Streamlit builds from a widget's label: "Help for Posisi per"
    ("Help for ", "Bantuan untuk "),
    ("day, ", "hari, "),
    ("month, ", "bulan, "),
    ("year, ", "tahun, "),
]

# --- an older file never replaces newer data ----------------------------------------------------
OLDER = {
    "notice": "Berkas ini berposisi {date}, lebih lama dari data yang dipakai sekarang (unggahan #{id}, posisi {current_date}). Bila disimpan, berkas ini masuk riwayat tetapi tidak menggantikan data yang dipakai. Untuk memakainya, pulihkan unggahannya di Riwayat.",
    "save": "Simpan ke riwayat",
    "kept": "Tersimpan sebagai unggahan #{id} (posisi {date}) di riwayat. Data yang dipakai tetap unggahan #{current} (posisi {current_date}), yang lebih baru; untuk memakai unggahan #{id}, pulihkan di Riwayat.",
}

# --- Riwayat's years compared by component name -------------------------------------------------
YEARS_MATCHED = {
    "note": "Komponen dicocokkan antartahun menurut namanya (bukan nomornya); nomor dan nama yang tertulis mengikuti rencana tahun terbaru.",
}

# --- figures readable everywhere: the report's timeline, phones, projectors ---------------------
MEETING_FIT = {
    "more": "… dan {n} syarat lain (lihat halaman Kesiapan)",
}
