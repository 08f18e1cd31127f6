"""The Laporan monev's tables, written once for both of its forms: for each table, where its rows
are in the report's context (outputs/monev.context), its columns (the row's key and the header),
whether it is set small, and its columns' widths in Word (cm).  monev_html draws them in the
HTML the PDF is made from; monev_template as the default Word template's {%tr %} tables."""

from __future__ import annotations

from dataclasses import dataclass

from zi_dashboard import labels as L

M, C, RD, DIFF, K = L.MONEV, L.COL, L.READY, L.DIFF, L.LKE_COMPARE


@dataclass(frozen=True)
class ReportTable:
    rows: str  # the rows' path in the context; "f.baris": a follow-up's own rows, in the loop over PICs
    columns: tuple[tuple[str, str], ...]  # (the row's key, the column's header)
    widths: tuple[float, ...]  # cm, in Word
    small: bool = False


TABLES = {
    "ringkasan": ReportTable(
        "ringkasan",
        (("uraian", M["col_figure"]), ("nilai", M["col_value"]), ("perubahan", M["col_change"])),
        (9, 3.5, 3.5),
    ),
    "komponen": ReportTable(
        "komponen",
        (
            ("kode", C["code"]),
            ("nama", C["component"]),
            ("realisasi", C["completion"]),
            ("rencana", C["planned"]),
            ("jumlah", C["indicators"]),
            ("selesai", C["done"]),
            ("terlambat", C["overdue"]),
        ),
        (1.5, 5.7, 2, 2, 1.6, 1.6, 1.6),
    ),
    "terlambat": ReportTable(
        "terlambat",
        (
            ("kode", C["code"]),
            ("indikator", C["indicator"]),
            ("hari_terlambat", C["days_overdue"]),
            ("progres", C["progress"]),
            ("selesai", C["target_end"]),
            ("pic", C["pic"]),
        ),
        (1.5, 6.2, 1.8, 1.8, 2.5, 3),
        small=True,
    ),
    "perubahan": ReportTable(
        "perubahan.baris",
        (
            ("kode", C["code"]),
            ("indikator", C["indicator"]),
            ("sebelum", DIFF["before"]),
            ("sesudah", DIFF["after"]),
            ("perubahan", DIFF["change"]),
            ("status_sesudah", DIFF["status_after"]),
        ),
        (1.5, 6.7, 2, 2, 2, 2.6),
        small=True,
    ),
    "kesiapan_angka": ReportTable(
        "kesiapan.angka",
        (("uraian", M["col_figure"]), ("nilai", RD["col_value"]), ("maksimum", RD["col_max"])),
        (9, 3.5, 3.5),
    ),
    "kesiapan_syarat": ReportTable(
        "kesiapan.syarat",
        (
            ("predikat", ""),
            ("syarat", RD["col_gate"]),
            ("nilai", RD["col_value"]),
            ("batas", RD["col_threshold"]),
            ("hasil", RD["col_result"]),
            ("kurang", RD["col_missing"]),
        ),
        (1.6, 6.4, 2, 2, 2.2, 2.2),
        small=True,
    ),
    "tpi_angka": ReportTable(
        "tpi.angka",
        (
            ("uraian", K["col_item"]),
            ("mandiri", K["col_unit"]),
            ("tpi", K["col_tpi"]),
            ("selisih", K["col_diff"]),
            ("maksimum", K["col_max"]),
        ),
        (7, 2.5, 2.5, 2.5, 2.5),
    ),
    "tpi_syarat": ReportTable(
        "tpi.syarat",
        (
            ("syarat", K["col_gate"]),
            ("mandiri", K["col_unit"]),
            ("tpi", K["col_tpi"]),
            ("wbk", K["col_verdict"].format(name="WBK")),
            ("wbbm", K["col_verdict"].format(name="WBBM")),
        ),
        (7, 2.2, 2.2, 2.8, 2.8),
        small=True,
    ),
    "tpi_beda": ReportTable(
        "tpi.beda",
        (
            ("kode", K["col_code"]),
            ("pertanyaan", K["col_question"]),
            ("mandiri", K["col_answer_unit"]),
            ("tpi", K["col_answer_tpi"]),
            ("selisih", K["col_stake"]),
        ),
        (1.8, 8.2, 2.3, 2.3, 2.4),
        small=True,
    ),
    "tpi_dikembalikan": ReportTable(
        "tpi.dikembalikan",
        (("kode", K["col_code"]), ("pertanyaan", K["col_question"]), ("catatan", K["col_note"]), ("pic", K["col_pic"])),
        (1.8, 7, 5.2, 3),
        small=True,
    ),
    "bukti": ReportTable(
        "bukti",
        (
            ("kode", C["code"]),
            ("komponen", C["component"]),
            ("jumlah", RD["col_rows"]),
            ("berbukti", RD["col_with_evidence"]),
            ("persen", RD["col_share"]),
        ),
        (1.5, 7, 2.5, 2.5, 2.5),
    ),
    "tindak_lanjut": ReportTable(
        "f.baris",
        (
            ("kode", C["code"]),
            ("indikator", C["indicator"]),
            ("status", C["status"]),
            ("alasan", RD["col_reason"]),
            ("progres", C["progress"]),
            ("batas", C["target_end"]),
        ),
        (1.5, 5.7, 2.2, 3, 1.8, 2.6),
        small=True,
    ),
    "lampiran": ReportTable(
        "lampiran",
        (
            ("kode", C["code"]),
            ("indikator", C["indicator"]),
            ("pic", C["pic"]),
            ("selesai", C["target_end"]),
            ("progres", C["progress"]),
            ("rencana", C["planned"]),
            ("status", C["status"]),
        ),
        (1.5, 5.3, 2.8, 2.4, 1.6, 1.6, 1.9),
        small=True,
    ),
}
