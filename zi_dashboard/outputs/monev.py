"""Laporan monev: the quarterly monitoring and evaluation report's data and its Word document
(from a .docx template: the office's own, or the default one data/templat-laporan-monev.docx).
The PDF (from the report's HTML) is outputs/monev_html.py; the timeline pictures
outputs/monev_timeline.py.

figures (Meeting, follow-ups, the LKE score when answers exist) -> `context` (a dict of texts and
lists, every figure written the Indonesian way) -> `render_docx` / monev_html.render_pdf.  Nothing is
counted here anew: every figure comes from counting/ through outputs/meeting_pack.Meeting.

A template is untrusted: it is checked before use (size, macros, unpacked size, XML, placeholders)
and filled in Jinja's sandbox with autoescape, so neither the template nor a text from the data
(a note typed as '{{ ... }}' or as Word XML) can do more than show text.  The placeholders are
listed in docs/laporan-monev.md and PLACEHOLDERS below.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_score import LkeScore
from zi_dashboard.counting.readiness import PREDICATES, FollowUp, Gate, Verdicts
from zi_dashboard.counting.rows import IndicatorRow, change_rows, component_rows, evidence_share_rows, indicator_rows
from zi_dashboard.outputs import lke_compare_out, readiness_out
from zi_dashboard.outputs.exports import file_owner
from zi_dashboard.outputs.meeting_pack import Meeting
from zi_dashboard.outputs.monev_timeline import timeline_pngs
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
