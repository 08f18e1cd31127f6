"""The bundled example progress file ("data contoh"), made the way the office makes one.

`python -m zi_dashboard.reading.example` rewrites data/contoh-progres-zi-2025.xlsx.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from zi_dashboard.reading.plan import DATA_DIR, Plan, load_plan

EXAMPLE_FILE = DATA_DIR / "contoh-progres-zi-2025.xlsx"
EXAMPLE_POSITION = date(2025, 11, 15)

# code -> [(activity, PIC, progress, evidence, note)]; several entries are sub-activities
_ROWS: dict[str, list[tuple]] = {
    "1.1": [("SK Tim ZI ditetapkan", "Sekretaris", 100, "https://kota-tasikmalaya.kpu.go.id/zi/sk-tim", "")],
    "1.2": [
        ("Penyusunan dokumen rencana", "Ketua Tim ZI", 100, "https://kota-tasikmalaya.kpu.go.id/zi/rencana", ""),
        ("Sosialisasi internal/eksternal", "Kasubbag Parmas & SDM", 60, "", "Sosialisasi eksternal menunggu jadwal"),
    ],
    "1.3": [("Monev berkala", "Ketua Tim ZI", 45, "", "Monev bulan November dijadwalkan")],
    "1.4": [("Penetapan role model dan agen perubahan", "Kasubbag Parmas & SDM", 50, "", "")],
    "2.1": [("Reviu SOP", "Kasubbag Teknis & Hukum", 40, "", "")],
    "2.2": [("Penguatan TI", "Operator SIDALIH", 55, "", "")],
    "2.3": [("Monev keterbukaan informasi", "PPID", 60, "https://kota-tasikmalaya.kpu.go.id/ppid", "")],
    "3.1": [("Rencana kebutuhan pegawai", "Kasubbag Parmas & SDM", 30, "", "Menunggu ABK dari KPU Provinsi")],
    "3.2": [("Kebijakan pola mutasi", "Kasubbag Parmas & SDM", 20, "", "")],
    "3.3": [
        ("Training Need Analysis", "Kasubbag Parmas & SDM", 50, "", ""),
        ("Pelatihan kompetensi", "Kasubbag Parmas & SDM", 40, "", ""),
    ],
    "3.4": [("Penetapan kinerja individu", "Kasubbag KUL", 50, "", "")],
    "3.5": [("Penerapan kode etik", "Sekretaris", 45, "", "")],
    "3.6": [("Pemutakhiran data kepegawaian", "Operator SIMPEG", 65, "", "")],
    "4.1": [("Keterlibatan pimpinan", "Ketua", 55, "", "")],
    "4.2": [("Laporan kinerja", "Kasubbag Perencanaan", 35, "", "Data triwulan III belum lengkap")],
    "5.1": [
        ("Public campaign gratifikasi", "Kasubbag KUL", 70, "https://kota-tasikmalaya.kpu.go.id/zi/gratifikasi", "")
    ],
    "5.2": [("Penilaian risiko", "Kasubbag Perencanaan", 25, "", "")],
    "5.3": [("Tindak lanjut pengaduan", "Kasubbag Teknis & Hukum", 50, "", "")],
    "5.4": [("Penerapan WBS", "Kasubbag Teknis & Hukum", 15, "", "Aplikasi WBS belum tersedia")],
    "5.5": [("Sosialisasi benturan kepentingan", "Sekretaris", 45, "", "")],
    "6.1": [("Maklumat standar pelayanan", "PPID", 60, "https://kota-tasikmalaya.kpu.go.id/standar-pelayanan", "")],
    "6.2": [("Pelatihan pelayanan prima", "Kasubbag Parmas & SDM", 30, "", "")],
    "6.3": [("Integrasi SP4N-LAPOR!", "PPID", 55, "https://www.lapor.go.id", "")],
    "6.4": [("Survei kepuasan masyarakat", "Kasubbag Parmas & SDM", 65, "", "Survei triwulan IV berjalan")],
    "6.5": [("Database pelayanan terintegrasi", "Operator SIDALIH", 40, "", "")],
}


def build_example(plan: Plan | None = None) -> bytes:
    plan = plan or load_plan()
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = "Progres ZI"
    ws["A1"] = "LAPORAN PROGRES RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS (DATA CONTOH)"
    ws["A2"] = "KPU KOTA TASIKMALAYA"
    ws["A3"] = f"Posisi: {EXAMPLE_POSITION.day} November {EXAMPLE_POSITION.year}"
    for c in ("A1", "A2", "A3"):
        ws[c].font = Font(bold=True)
    headers = [
        "No",
        "Komponen",
        "Kode",
        "Indikator/Program",
        "Rencana Aksi/Kegiatan",
        "Target Waktu",
        "Penanggung Jawab",
        "Progres (%)",
        "Bukti Dukung",
        "Keterangan",
    ]
    ws.append([])
    ws.append(headers)
    ws.append(list(range(1, len(headers) + 1)))  # the column-number row of official tables
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    rows = plan.rows
    comp_seen: set[str] = set()
    for code, entries in _ROWS.items():
        prow = rows.loc[code]
        for k, (activity, pic, progress, evidence, note) in enumerate(entries):
            component_code = str(prow.component_code)
            first_of_comp = component_code not in comp_seen
            comp_seen.add(component_code)
            ws.append(
                [
                    f"{component_code}." if first_of_comp else None,
                    prow.component if first_of_comp else None,
                    code if k == 0 else None,
                    prow.indicator if k == 0 else None,
                    activity,
                    prow.target,
                    pic,
                    progress,
                    evidence or None,
                    note or None,
                ]
            )
    ws.append([])
    ws.append([None, None, None, None, None, None, "Tasikmalaya, 15 November 2025"])
    ws.append([None, None, None, None, None, None, "Ketua Tim ZI,"])
    ws.append([])
    ws.append([None, None, None, None, None, None, "(nama contoh)"])
    widths = [5, 26, 7, 32, 40, 22, 22, 11, 40, 32]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


if __name__ == "__main__":
    EXAMPLE_FILE.write_bytes(build_example())
    print(EXAMPLE_FILE)
