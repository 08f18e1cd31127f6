"""Laporan monev: the quarterly monitoring and evaluation report as a Word document (from a .docx
template: the office's own, or the default one data/templat-laporan-monev.docx) and as a PDF
(from the report's HTML, A4 with page numbers).

figures (Meeting, follow-ups, the LKE score when answers exist) -> `context` (a dict of texts and
lists, every figure written the Indonesian way) -> `render_docx` / `render_pdf`.  Nothing is
counted here anew: every figure comes from counting/ through outputs/meeting_pack.Meeting.

A template is untrusted: it is checked before use (size, macros, unpacked size, XML, placeholders)
and filled in Jinja's sandbox with autoescape, so neither the template nor a text from the data
(a note typed as '{{ ... }}' or as Word XML) can do more than show text.  The placeholders are
listed in docs/laporan-monev.md and PLACEHOLDERS below.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_score import LkeScore
from zi_dashboard.counting.readiness import PREDICATES, FollowUp, Gate, Verdicts
from zi_dashboard.counting.rows import IndicatorRow, change_rows, component_rows, evidence_share_rows, indicator_rows
from zi_dashboard.outputs import lke_compare_out, readiness_out
from zi_dashboard.outputs.charts import shorten
from zi_dashboard.outputs.exports import file_owner
from zi_dashboard.outputs.meeting_pack import Meeting
from zi_dashboard.reading.resources import DATA_DIR
from zi_dashboard.reading.word_template import (  # noqa: F401 - the template's checks, used through this module too
    MAX_TEMPLATE_BYTES,
    MAX_UNPACKED_BYTES,
    PLACEHOLDERS,
    TemplateProblem,
    check_template,
    fill,
    template_placeholders,
)

M = L.MONEV
DEFAULT_TEMPLATE = DATA_DIR / "templat-laporan-monev.docx"
TIMELINE_ROWS_PER_PICTURE = 34  # lines per timeline picture: one picture fits half an A4 page or more


@dataclass(frozen=True)
class DocInfo:
    """What the data does not say: the letter's number and date, the letterhead, the signer."""

    number: str = ""
    doc_date: date | None = None  # None: today
    office: str = ""  # the letterhead's office name ("" : the unit's name)
    address: str = ""
    place: str = ""
    signer_name: str = ""
    signer_nip: str = ""
    signer_position: str = ""


@dataclass(frozen=True)
class Monev:
    """Everything the report shows."""

    meeting: Meeting
    follow_ups: list[FollowUp] = field(default_factory=list)
    lke_score: LkeScore | None = None  # when LKE answers are saved
    info: DocInfo = DocInfo()


# --- words and figures -----------------------------------------------------------------------
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(value) -> str:
    """A text from the data as the document writes it: characters XML cannot carry dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _BAD_XML.sub("", str(value))


def quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _roman(q: int) -> str:
    return ("I", "II", "III", "IV")[q - 1]


def period_text(as_of: date) -> str:
    return M["period"].format(q=_roman(quarter(as_of)), year=as_of.year, date=L.fmt_date(as_of))


def file_name(unit_line: str, as_of: date, ext: str) -> str:
    """'laporan-monev-zi-kota-tasikmalaya-tahun-2025-posisi-2025-11-15.docx': unit, year, date."""
    return "-".join(p for p in (M["docx_file"], file_owner(unit_line), "posisi", as_of.isoformat()) if p) + f".{ext}"


def _summary(m: Meeting) -> list[dict]:
    r = m.result
    deltas = m.since.deltas() if m.since else {}
    rows = [
        {
            "uraian": M["overall"],
            "nilai": L.fmt_pct(r.overall_completion),
            "perubahan": L.fmt_signed_pct(deltas["overall"]) if "overall" in deltas else "",
        },
        {"uraian": M["planned"], "nilai": L.fmt_pct(r.overall_planned), "perubahan": ""},
        {"uraian": M["gap"], "nilai": L.fmt_signed_pct(r.overall_completion - r.overall_planned), "perubahan": ""},
        {"uraian": M["rows"], "nilai": str(len(r.indicators)), "perubahan": ""},
    ]
    for s in L.STATUS_ORDER:
        rows.append(
            {
                "uraian": M["status_count"].format(status=s),
                "nilai": str(int(r.status_counts[s])),
                "perubahan": L.fmt_signed_count(deltas[s]) if s in deltas else "",
            }
        )
    return rows


def _components(m: Meeting) -> list[dict]:
    c = m.result.components
    return [
        {
            "kode": _t(x.code),
            "nama": _t(x.name),
            "realisasi": L.fmt_pct(x.completion),
            "rencana": L.fmt_pct(x.planned),
            "jumlah": str(int(x.indicators)),
            "selesai": str(int(x.done)),
            "terlambat": str(int(x.overdue)),
        }
        for x in component_rows(c)
    ]


def _row(x: IndicatorRow) -> dict:
    return {
        "kode": _t(x.code),
        "komponen": _t(x.component),
        "indikator": _t(x.indicator),
        "aksi": _t(x.action),
        "target": _t(x.target),
        "mulai": L.fmt_date(x.target_start),
        "selesai": L.fmt_date(x.target_end),
        "pic": _t(x.pic),
        "progres": L.fmt_pct(x.progress),
        "rencana": L.fmt_pct(x.planned),
        "status": _t(x.status),
        "hari_terlambat": str(int(x.days_overdue)),
        "bukti": _t(x.evidence),
        "catatan": _t(x.notes),
    }


def _changes(m: Meeting) -> dict:
    moved = m.changes()
    if moved is None:
        return {"ada": False, "catatan": L.REPORT["no_previous"], "baris": []}
    rows = [
        {
            "kode": _t(x.code),
            "indikator": _t(x.indicator),
            "sebelum": L.fmt_pct(x.before),
            "sesudah": L.fmt_pct(x.after),
            "perubahan": L.fmt_signed_pct(x.change),
            "status_sebelum": _t(x.status_before),
            "status_sesudah": _t(x.status_after),
        }
        for x in change_rows(moved)
    ]
    note = m.previous_label if rows else m.previous_label + " " + L.REPORT["no_changes"]
    return {"ada": bool(rows), "catatan": _t(note), "baris": rows}


def _gate_rows(r: Verdicts) -> list[dict]:
    rows = []
    for p in PREDICATES:
        for g in r.gates[p]:
            t = readiness_out.gates_table(_OneGate(g), p).iloc[0]
            rows.append(
                {
                    "predikat": p,
                    "syarat": _t(t[L.READY["col_gate"]]),
                    "nilai": _t(t[L.READY["col_value"]]),
                    "batas": _t(t[L.READY["col_threshold"]]),
                    "hasil": _t(t[L.READY["col_result"]]),
                    "kurang": _t(t[L.READY["col_missing"]]),
                }
            )
    return rows


@dataclass(frozen=True)
class _OneGate:
    """One gate as readiness_out.gates_table reads a readiness (its .gates)."""

    gate: Gate

    @property
    def gates(self) -> dict[str, list[Gate]]:
        return {p: [self.gate] for p in PREDICATES}


def _readiness(m: Monev) -> dict:
    s = m.lke_score
    r = m.meeting.readiness
    holder: Verdicts
    if s is not None:
        maxima = (sum(a.pemenuhan_max for a in s.areas), sum(a.reform_max for a in s.areas), 40.0)
        figures = [
            (L.LKE["pemenuhan"], s.pemenuhan_total, maxima[0]),
            (L.LKE["reform"], s.reform_total, maxima[1]),
            (L.LKE["pengungkit"], s.pengungkit, maxima[0] + maxima[1]),
            (L.LKE["hasil"], s.hasil["total"], maxima[2]),
            (L.LKE["total"], s.total, sum(maxima)),
        ]
        source = M["score_answers"].format(answered=s.answered_count, questions=len(s.questions))
        holder = s
    elif r is not None:
        figures, source, holder = readiness_out.summary_figures(r), M["score_forecast"], r
    else:
        return {"ada": False, "sumber": "", "angka": [], "syarat": [], "predikat": []}
    return {
        "ada": True,
        "sumber": source,
        "angka": [{"uraian": a, "nilai": readiness_out.n2(v), "maksimum": readiness_out.n2(x)} for a, v, x in figures],
        "syarat": _gate_rows(holder),
        "predikat": [
            M["predicate"].format(name=p, result=L.READY["eligible"] if holder.eligible(p) else L.READY["not_eligible"])
            for p in PREDICATES
        ],
    }


def _evidence(m: Meeting) -> list[dict]:
    r = m.readiness
    if r is None:
        return []
    e = r.evidence_share()
    return [
        {
            "kode": _t(x.code),
            "komponen": _t(x.name),
            "jumlah": str(int(x.rows)),
            "berbukti": str(int(x.with_evidence)),
            "persen": L.fmt_pct(x.share),
        }
        for x in evidence_share_rows(e)
    ]


def _follow(m: Monev) -> list[dict]:
    out = []
    for f in m.follow_ups:
        t = readiness_out.follow_table(f)
        out.append(
            {
                "pic": _t(readiness_out.pic_name(f)),
                "poin": readiness_out.n2(f.open_points),
                "baris": [
                    {
                        "kode": _t(x[L.COL["code"]]),
                        "indikator": _t(x[L.COL["indicator"]]),
                        "status": _t(x[L.COL["status"]]),
                        "alasan": _t(x[L.READY["col_reason"]]),
                        "progres": _t(x[L.COL["progress"]]),
                        "batas": _t(x[L.COL["target_end"]]),
                    }
                    for _, x in t.iterrows()
                ],
            }
        )
    return out


def context(m: Monev, pictures: list | None = None) -> dict:
    """The template's placeholders (PLACEHOLDERS): texts, and lists of rows for the tables.
    `pictures`: what stands for the timeline pictures (docxtpl InlineImages, or data URIs)."""
    mt, info = m.meeting, m.info
    r = mt.result
    unit = mt.unit
    doc_date = info.doc_date or date.today()
    overdue = r.overdue
    return {
        "kop": {
            "instansi": _t(info.office or unit.upper()),
            "alamat": _t(info.address),
            "tim": M["office_default"].format(unit=unit),
        },
        "judul": M["title"],
        "unit": _t(unit),
        "nomor": _t(info.number) or M["number_blank"].format(year=doc_date.year),
        "tanggal": L.fmt_date(doc_date),
        "periode": period_text(mt.as_of),
        "posisi": L.fmt_date(mt.as_of),
        "sumber": _t(M["source"].format(source=mt.source, position=L.fmt_date(mt.position_date))),
        "judul_bagian": {k[2:]: v for k, v in M.items() if k.startswith("h_")},
        "ringkasan": _summary(mt),
        "komponen": _components(mt),
        "linimasa": pictures or [],
        "keterangan_linimasa": M["timeline_caption"].format(date=L.fmt_date(mt.as_of)),
        "terlambat": [_row(x) for x in indicator_rows(overdue)],
        "terlambat_kosong": L.UI["overdue_none"].format(date=L.fmt_date(mt.as_of)) if overdue.empty else "",
        "perubahan": _changes(mt),
        "kesiapan": _readiness(m),
        "tpi": lke_compare_out.monev_context(mt.tpi, mt.tpi_stage),
        "bukti": _evidence(mt),
        "tindak_lanjut": _follow(m),
        "tindak_lanjut_kosong": "" if m.follow_ups else M["none_follow"].format(date=L.fmt_date(mt.as_of)),
        "lampiran": [_row(x) for x in indicator_rows(r.indicators)],
        "ttd": {
            "tempat": _t(info.place) or M["blank"],
            "tanggal": L.fmt_date(doc_date),
            "jabatan": _t(info.signer_position) or M["position_default"],
            "nama": _t(info.signer_name) or M["blank"],
            "nip": M["nip"].format(nip=_t(info.signer_nip) or M["blank"]),
        },
    }


# --- the timeline picture (Pillow: no browser needed on the server) ---------------------------
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    names = (
        ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    )
    for folder in _FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _darker(hex_color: str, factor: float = 0.6) -> tuple[int, int, int]:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return int(r * factor), int(g * factor), int(b * factor)


def _lighter(hex_color: str) -> tuple[int, int, int]:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return int(r + (255 - r) * 0.55), int(g + (255 - g) * 0.55), int(b + (255 - b) * 0.55)


WIDTH_PX, LABEL_PX, LINE_PX, FONT_PX = 1800, 640, 46, 27  # 16 cm wide on A4: 27 px print as 7,5 pt


def _timeline_lines(ind: pd.DataFrame) -> list[tuple[str, str | IndicatorRow]]:
    lines: list[tuple[str, str | IndicatorRow]] = []
    previous = None
    for x in indicator_rows(ind):
        if x.component_code != previous:
            lines.append(("head", shorten(f"{x.component_code}. {x.component}", 40)))
            previous = x.component_code
        lines.append(("row", x))
    return lines


def timeline_pngs(mt: Meeting) -> list[bytes]:
    """The timeline as PNG pictures, one line a row, grouped by component: the target period as a
    light bar, progress as the dark part, coloured by status, a red line at the position date.
    Split into pictures of at most TIMELINE_ROWS_PER_PICTURE lines, each readable on A4."""
    ind = mt.result.indicators
    lines = _timeline_lines(ind)
    starts = pd.to_datetime(ind["target_start"].fillna(ind["target_end"]))
    lo = min(starts.min().date(), mt.as_of)
    hi = max(pd.to_datetime(ind["target_end"]).max().date(), mt.as_of)
    lo, hi = date(lo.year, lo.month, 1), hi + timedelta(days=10)
    chunks = [lines[i : i + TIMELINE_ROWS_PER_PICTURE] for i in range(0, len(lines), TIMELINE_ROWS_PER_PICTURE)]
    return [_timeline_png(chunk, lo, hi, mt.as_of) for chunk in chunks or [[]]]


def _timeline_png(lines: list[tuple], lo: date, hi: date, as_of: date) -> bytes:
    from PIL import Image, ImageDraw

    top, bottom = 70, 30
    height = top + LINE_PX * max(len(lines), 1) + bottom
    img = Image.new("RGB", (WIDTH_PX, height), "white")
    d = ImageDraw.Draw(img)
    font, bold = _font(FONT_PX), _font(FONT_PX, bold=True)
    x0, x1 = LABEL_PX, WIDTH_PX - 30
    span = max((hi - lo).days, 1)

    def x_of(day: date) -> float:
        return x0 + (x1 - x0) * (day - lo).days / span

    month = date(lo.year, lo.month, 1)
    while month <= hi:  # month grid and names
        x = x_of(month)
        d.line([(x, top - 8), (x, height - bottom)], fill="#d1d5db", width=2)
        name = L.MONTHS_SHORT[month.month - 1] + (f" {month.year}" if month.month == 1 else "")
        if x + 6 + d.textlength(name, font=font) <= WIDTH_PX:  # a name that would be cut is left out
            d.text((x + 6, 18), name, font=font, fill="#111827")
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for i, (kind, item) in enumerate(lines):
        y = top + i * LINE_PX
        if kind == "head":
            d.rectangle([(0, y), (WIDTH_PX, y + LINE_PX - 2)], fill="#eef2f7")
            d.text((10, y + 8), item, font=bold, fill="#0b3b66")
            continue
        d.text((10, y + 8), shorten(f"{item.code} {item.indicator}", 36), font=font, fill="#111827")
        end = item.target_end
        start = item.target_start if item.target_start is not None and not pd.isna(item.target_start) else end
        if end is None or pd.isna(end):
            continue
        color = L.STATUS_COLORS.get(item.status, "#8C8C8C")
        a, b = x_of(start), max(x_of(end), x_of(start) + 4)
        d.rectangle([(a, y + 8), (b, y + LINE_PX - 8)], fill=_lighter(color), outline=color, width=2)
        done = a + (b - a) * max(0.0, min(100.0, float(item.progress))) / 100.0
        if done > a:
            d.rectangle([(a, y + 8), (done, y + LINE_PX - 8)], fill=_darker(color, 0.85))
    xa = x_of(as_of)
    d.line([(xa, top - 10), (xa, height - bottom)], fill="#D00000", width=4)
    d.text((min(xa + 6, WIDTH_PX - 260), height - bottom - 2), L.fmt_date(as_of), font=font, fill="#D00000")
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(285, 285))
    return buf.getvalue()


# --- the template: checked, then filled (reading/word_template.py) --------------------------------
def default_template() -> bytes:
    return DEFAULT_TEMPLATE.read_bytes()


def report_context(m: Monev) -> tuple[dict, list[bytes]]:
    """What a template is filled with: the placeholders (pictures aside) and the timeline PNGs.
    Plain texts, lists and bytes: they cross to the sandbox's child process as they are."""
    return context(m), timeline_pngs(m.meeting)


def render_docx(m: Monev, template: bytes | None = None) -> bytes:
    """The report as .docx from `template` (the default one when None), in this process.
    TemplateProblem: the template cannot be used (the message says why); nothing else escapes.
    An uploaded template is filled in a child process instead (app/monev.render)."""
    values, pictures = report_context(m)
    return fill(template if template is not None else default_template(), values, pictures)


# --- HTML and PDF ----------------------------------------------------------------------------------
def _e(text) -> str:
    return html.escape(str(text))


def _html_table(rows: list[dict], columns: list[tuple[str, str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(title)}</th>" for _, title in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(r.get(k, ''))}</td>" for k, _ in columns) + "</tr>" for r in rows)
    return f"<table class='{cls}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 20mm;
        @bottom-right { content: "@PAGE@ " counter(page) " @OF@ " counter(pages);
                       font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.5pt;
                       color: #374151; } }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #111827; }
.kop { text-align: center; border-bottom: 3px double #111827; padding-bottom: 4mm; margin-bottom: 5mm; }
.kop .instansi { font-size: 15pt; font-weight: bold; } .kop .alamat { font-size: 9pt; }
h1 { font-size: 13pt; text-align: center; margin: 0 0 2mm 0; }
.meta { text-align: center; margin-bottom: 5mm; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm 0; color: #0b3b66; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border: 0.6pt solid #6b7280; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #1F3864; color: #fff; } thead { display: table-header-group; } tr { break-inside: avoid; }
table.small { font-size: 8pt; }
img.linimasa { width: 100%; } .caption, .muted { font-size: 8.5pt; color: #374151; }
.ttd { margin-top: 12mm; margin-left: 55%; break-inside: avoid; } .ttd .space { height: 22mm; }
.lampiran { break-before: page; }
"""


def build_html(m: Monev) -> str:
    """The report as one HTML document (A4 portrait, letterhead on the first page): the PDF's source."""
    pictures = ["data:image/png;base64," + base64.b64encode(p).decode("ascii") for p in timeline_pngs(m.meeting)]
    c = context(m, pictures)
    h = c["judul_bagian"]
    C, RD = L.COL, L.READY
    parts = [
        f"<div class='kop'><div class='instansi'>{_e(c['kop']['instansi'])}</div>"
        f"<div class='alamat'>{_e(c['kop']['alamat'])}</div></div>",
        f"<h1>{_e(c['judul'])}</h1><div class='meta'>{_e(c['unit'])}<br>{_e(c['periode'])}<br>"
        f"{_e(M['number_label'])}: {_e(c['nomor'])} · {_e(M['date_label'])}: {_e(c['tanggal'])}</div>",
        f"<p class='muted'>{_e(c['sumber'])}</p>",
        f"<h2>{_e(h['summary'])}</h2>",
        _html_table(
            c["ringkasan"], [("uraian", M["col_figure"]), ("nilai", M["col_value"]), ("perubahan", M["col_change"])]
        ),
        f"<h2>{_e(h['components'])}</h2>",
        _html_table(
            c["komponen"],
            [
                ("kode", C["code"]),
                ("nama", C["component"]),
                ("realisasi", C["completion"]),
                ("rencana", C["planned"]),
                ("jumlah", C["indicators"]),
                ("selesai", C["done"]),
                ("terlambat", C["overdue"]),
            ],
        ),
        f"<h2>{_e(h['timeline'])}</h2>",
        "".join(f"<img class='linimasa' src='{p}' alt='{_e(h['timeline'])}'>" for p in pictures),
        f"<p class='caption'>{_e(c['keterangan_linimasa'])}</p>",
        f"<h2>{_e(h['overdue'])}</h2>",
        (
            f"<p>{_e(c['terlambat_kosong'])}</p>"
            if c["terlambat_kosong"]
            else _html_table(
                c["terlambat"],
                [
                    ("kode", C["code"]),
                    ("indikator", C["indicator"]),
                    ("hari_terlambat", C["days_overdue"]),
                    ("progres", C["progress"]),
                    ("selesai", C["target_end"]),
                    ("pic", C["pic"]),
                ],
                "small",
            )
        ),
        f"<h2>{_e(h['changes'])}</h2><p class='muted'>{_e(c['perubahan']['catatan'])}</p>",
        _html_table(
            c["perubahan"]["baris"],
            [
                ("kode", C["code"]),
                ("indikator", C["indicator"]),
                ("sebelum", L.DIFF["before"]),
                ("sesudah", L.DIFF["after"]),
                ("perubahan", L.DIFF["change"]),
                ("status_sesudah", L.DIFF["status_after"]),
            ],
            "small",
        )
        if c["perubahan"]["ada"]
        else "",
    ]
    k = c["kesiapan"]
    if k["ada"]:
        parts += [
            f"<h2>{_e(h['readiness'])}</h2><p class='muted'>{_e(k['sumber'])}</p>",
            _html_table(
                k["angka"], [("uraian", M["col_figure"]), ("nilai", RD["col_value"]), ("maksimum", RD["col_max"])]
            ),
            "".join(f"<p><b>{_e(p)}</b></p>" for p in k["predikat"]),
            _html_table(
                k["syarat"],
                [
                    ("predikat", ""),
                    ("syarat", RD["col_gate"]),
                    ("nilai", RD["col_value"]),
                    ("batas", RD["col_threshold"]),
                    ("hasil", RD["col_result"]),
                    ("kurang", RD["col_missing"]),
                ],
                "small",
            ),
        ]
    parts += _tpi_html(c["tpi"], h["tpi"])
    if c["bukti"]:
        parts += [
            f"<h2>{_e(h['evidence'])}</h2>",
            _html_table(
                c["bukti"],
                [
                    ("kode", C["code"]),
                    ("komponen", C["component"]),
                    ("jumlah", RD["col_rows"]),
                    ("berbukti", RD["col_with_evidence"]),
                    ("persen", RD["col_share"]),
                ],
            ),
        ]
    parts.append(f"<h2>{_e(h['follow'])}</h2>")
    if c["tindak_lanjut_kosong"]:
        parts.append(f"<p>{_e(c['tindak_lanjut_kosong'])}</p>")
    for f in c["tindak_lanjut"]:
        parts += [
            f"<p><b>{_e(f['pic'])}</b></p>",
            _html_table(
                f["baris"],
                [
                    ("kode", C["code"]),
                    ("indikator", C["indicator"]),
                    ("status", C["status"]),
                    ("alasan", RD["col_reason"]),
                    ("progres", C["progress"]),
                    ("batas", C["target_end"]),
                ],
                "small",
            ),
        ]
    t = c["ttd"]
    parts.append(
        f"<div class='ttd'>{_e(M['signature_place_date'].format(place=t['tempat'], date=t['tanggal']))}<br>"
        f"{_e(t['jabatan'])}<div class='space'></div><b>{_e(t['nama'])}</b><br>{_e(t['nip'])}</div>"
    )
    parts += [
        f"<div class='lampiran'><h2>{_e(h['annex'])}</h2>",
        _html_table(
            c["lampiran"],
            [
                ("kode", C["code"]),
                ("indikator", C["indicator"]),
                ("pic", C["pic"]),
                ("selesai", C["target_end"]),
                ("progres", C["progress"]),
                ("rencana", C["planned"]),
                ("status", C["status"]),
            ],
            "small",
        ),
        "</div>",
    ]
    css = _CSS.replace("@PAGE@", M["page"]).replace("@OF@", M["page_of"])
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{_e(c['judul'])}</title>"
        f"<style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )


def _tpi_html(t: dict, heading: str) -> list[str]:
    """Mandiri vs TPI (the placeholder `tpi`): nothing when the TPI has no answers saved."""
    if not t["ada"]:
        return []
    K = L.LKE_COMPARE
    verdict = K["col_verdict"]
    out = [
        f"<h2>{_e(heading)}</h2><p><b>{_e(t['ringkasan'])}</b></p><p class='muted'>{_e(t['telaah'])}</p>",
        _html_table(
            t["angka"],
            [
                ("uraian", K["col_item"]),
                ("mandiri", K["col_unit"]),
                ("tpi", K["col_tpi"]),
                ("selisih", K["col_diff"]),
                ("maksimum", K["col_max"]),
            ],
        ),
        _html_table(
            t["syarat"],
            [
                ("syarat", K["col_gate"]),
                ("mandiri", K["col_unit"]),
                ("tpi", K["col_tpi"]),
                ("wbk", verdict.format(name="WBK")),
                ("wbbm", verdict.format(name="WBBM")),
            ],
            "small",
        ),
    ]
    if t["beda"]:
        out += [
            f"<p><b>{_e(K['differing_title'])}</b></p>",
            _html_table(
                t["beda"],
                [
                    ("kode", K["col_code"]),
                    ("pertanyaan", K["col_question"]),
                    ("mandiri", K["col_answer_unit"]),
                    ("tpi", K["col_answer_tpi"]),
                    ("selisih", K["col_stake"]),
                ],
                "small",
            ),
        ]
    if t["dikembalikan"]:
        out += [
            f"<p><b>{_e(K['returned_title'])}</b></p>",
            _html_table(
                t["dikembalikan"],
                [
                    ("kode", K["col_code"]),
                    ("pertanyaan", K["col_question"]),
                    ("catatan", K["col_note"]),
                    ("pic", K["col_pic"]),
                ],
                "small",
            ),
        ]
    return out


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # the package, or the system's pango it loads, is missing
        return False
    return True


def render_pdf(m: Monev) -> bytes:
    """The report as PDF (A4, page numbers) from build_html, by WeasyPrint; no network is used."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})  # only the pictures the page carries
    return weasyprint.HTML(string=build_html(m), url_fetcher=fetcher).write_pdf()
