"""Messages about a file or an input: what is wrong and where.  Each message keeps its key (the stable code tests, the CLI's JSON and logs speak)."""

from __future__ import annotations


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
    "progress_column_rows": "{column!r} ({n} baris)",
    "position_from_columns": "Berkas tidak menyebut tanggal posisi: tanggal posisi diambil dari akhir periode terakhir yang terisi ({column!r}): {date}.",
    "encrypted": "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah lagi.",
    "not_text": "Berkas CSV tidak bisa dibaca sebagai teks. Simpan ulang sebagai CSV UTF-8.",
    "missing": "Berkas {name!r} tidak ditemukan.",
    "no_header": "Tidak menemukan baris judul kolom. Diperlukan kolom Kode atau Indikator/Program, dan kolom Progres (%). Judul yang terbaca di baris awal: {seen}.",
    "no_header_seen_none": "(tidak ada)",
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
    # readiness for WBK/WBBM (Kesiapan), the self-assessment, follow-up
    "plan_bad_weight": "bobot {value!r} bukan angka 0 atau lebih",
    "assess_not_number": "{field}: {value!r} bukan angka",
    "assess_out_of_range": "{field}: {value} di luar rentang 0–{max}",
    "assess_sum_conflict": "{field}: {value} tidak sama dengan jumlah sub-areanya ({total}); isi salah satu saja",
    "assess_unknown_field": "kode {code!r} tidak dikenal (yang dikenal: R1–R6, R1.1–R6.2, IPAK, IPKP, KINERJA)",
    "assess_no_table": "Tidak menemukan tabel penilaian mandiri: diperlukan kolom Kode dan Nilai (unduh templatnya).",
    "contacts_no_table": "Tidak menemukan tabel kontak: diperlukan kolom PIC dan kolom {kind}.",
    "smtp_failed": "Surel ke {to} tidak terkirim: {reason}",
    "smtp_bad_url": "Alamat SMTP {url!r} tidak sah; contoh: smtp://host:25, smtp+starttls://user:sandi@host:587, smtps://host:465",
    # zip bundles of many units' progress files (reading/bundle.py)
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
    # the LKE question by question: instrument, answers, workbook, score (docs/lke.md)
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
    "editor_too_big": "Perubahan tabel ditolak: {added} baris ditambah, {edited} baris diubah, {deleted} baris dihapus, padahal tabel ini paling banyak {limit} baris. Tidak ada yang diubah; isi tabel seperti semula.",
    "editor_forged": "Perubahan tabel ditolak: bentuknya tidak seperti yang dikirim tabel ini ({what}). Tidak ada yang diubah; isi tabel seperti semula.",
    "editor_cell_too_long": "Perubahan tabel ditolak: ada isian lebih dari {limit} karakter. Tidak ada yang diubah; isi tabel seperti semula.",
    # two-row headers and the progress column chosen (reading/header.py, reading/progress.py)
    "progress_column_preferred": "Progres dibaca dari kolom {column!r} ({why}). Kolom lain yang mungkin: {others}. Bila salah, pilih kolom progres di Unggah (baris perintah: --progress-column).",
    "progress_why_physical": "progres fisik, yang dihitung dalam pemantauan ZI",
    "progress_why_not_money": "kolom lain berisi realisasi keuangan, bukan progres kegiatan",
    "busy": "Server sedang sibuk membaca berkas lain (paling banyak {n} sekaligus), jadi {name!r} belum dibaca dan tidak ada yang berubah. Coba lagi sebentar lagi.",
    # the LKE answers kept per work plan (app/lke.py)
    "lke_app_unknown_row": "Pertanyaan baris {row} tidak ada dalam instrumen LKE yang dipakai.",
    "lke_restored_source": "pulihkan #{id}",
    "lke_instr_too_big": "Berkas instrumen terlalu besar (batas {limit} MB).",
    "lke_instr_not_utf8": 'Berkas instrumen bukan teks CSV UTF-8. Simpan dari Excel sebagai "CSV UTF-8 (Comma delimited)".',
    "lke_instr_bad_year": "Tahun instrumen {year} tidak masuk akal (2000–2100).",
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
