"""Files the dashboard writes: the meeting report, the Excel pack, chart PNGs, the progress template, Laporan monev."""

from __future__ import annotations

# --- file names of the charts' PNG downloads (with the date added) ------------------------------
CHART_FILES = {
    "components": "komponen",
    "status": "status-per-komponen",
    "timeline": "linimasa",
    "s_curve": "kurva-s",
    "readiness_areas": "kesiapan-per-area",
    "years": "perbandingan-tahun",
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
}

# the template's Status column's choices (what the office reports; the dashboard counts its own status)
TEMPLATE_STATUSES = ["Belum mulai", "Sedang berjalan", "Selesai", "Terkendala"]

# the template's sheet Petunjuk, line by line
TEMPLATE_INSTRUCTIONS = [
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
]

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
    "sheet_untitled": "Lembar",
    "sheet_changes": "Perubahan",
    "figure": "Angka",
    "value": "Nilai",
    "note": "Catatan",
    "html_file": "laporan-rapat-zi-{owner}-posisi-{date}.html",
    "xlsx_file": "paket-excel-zi-{owner}-posisi-{date}.xlsx",
    "download_html": "Laporan rapat (.html)",
    "download_xlsx": "Paket Excel (.xlsx)",
}

# --- download file names carry the unit and year; a plain CSV for programs ------------------------
FILES = {
    "download_plain_csv": "Unduh CSV tabel saja",
    "plain_csv_help": "Hanya tabelnya: judul kolom di baris pertama, dipisah koma, desimal titik, tanggal TTTT-BB-HH. Untuk dibaca program (pandas, R, Python) tanpa melewati baris judul.",
    "plain_suffix": "-data",
}

# --- Laporan monev: the quarterly monitoring report as .docx and PDF -------------------------------
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
    "tpl_syntax": "Templat laporan rusak di placeholder{where}: {reason}",
    "tpl_unknown": "Templat laporan memakai placeholder yang tidak dikenal: {names}{where}. Placeholder yang tersedia: {known}.",
    "tpl_forbidden": "Templat laporan mencoba sesuatu yang tidak diizinkan: {reason}",
    "tpl_failed": "Templat laporan tidak dapat diisi: {reason}",
    "tpl_no_field": "Templat laporan memakai isian «{name}» yang tidak ada di laporan{where}. Periksa ejaannya pada daftar «Placeholder yang tersedia» di Unggah (misalnya {{{{ ttd.nama }}}} atau {{{{ kop.instansi }}}}), lalu unggah lagi.",
    # the office's own template on Unggah, checked and filled in a child process
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
    "tpl_fallback": "Templat kantor #{id} ({name}) tidak dapat diisi, jadi Laporan monev (.docx) dibuat dengan templat bawaan. {problem} Editor satker dapat memperbaikinya di halaman Unggah, bagian Laporan monev: unggah templat yang sudah diperbaiki, atau pakai lagi templat lain atau templat bawaan lewat «Riwayat templat».",
    "tpl_fallback_brief": "Laporan monev (.docx) memakai templat bawaan, bukan templat kantor: buka untuk alasannya",
    "tpl_checking": "Memeriksa templat Word satker untuk Laporan monev…",
    "h_tpi": "F.2 Nilai Mandiri dan Nilai TPI",
}

MONEV_CLI = {
    "format": "jenis laporan: html (laporan rapat, bawaan), docx (laporan monev Word) atau pdf (laporan monev PDF)",
    "template": "templat Word (.docx) laporan monev; tanpa ini dipakai templat kantor satker yang dipakai pada tanggal surat (diunggah di Unggah), atau templat bawaan",
    "number": "nomor surat laporan monev",
    "signer": 'penanda tangan: "Nama" atau "Nama;NIP" atau "Nama;NIP;Jabatan"',
    "place": "tempat penandatanganan (mis. Tasikmalaya)",
    "address": "alamat kantor untuk kop surat",
    "doc_date": "tanggal surat (YYYY-MM-DD); bawaan: hari ini",
    "out_type": "Jenis laporan {fmt} ditulis ke berkas .{ext}; --out berakhiran lain: {path}",
}
