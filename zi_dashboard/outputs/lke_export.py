"""The LKE workbook in the official answer-sheet layout (docs/lke.md, "Ekspor"): sheet "Jawaban"
with the same rows as the official sheet (each question on its instrument row when the headings
fit), the code hierarchy A. / I. / 1. / i. / a. in B-F, the text in G, Bobot, Kriteria, Pilihan
Jawaban, the unit's answer, note, evidence and links, the TPI's columns; each question's value and
points as Excel formulas over its answer cell; and a summary sheet per level like the official
"Unit" sheet (areas, Pemenuhan, Reform, Pengungkit, Hasil, total, every WBK/WBBM gate) whose sums
and gates are formulas Excel recomputes when an answer is changed.

Reading this workbook back (reading.lke_workbook) gives the same answers and the same score.  Text
from users (notes, evidence, links) is always written as text, never as a formula.  No Streamlit,
no database.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_score import TPI, UNIT
from zi_dashboard.counting.readiness import THRESHOLDS, WBBM, WBK
from zi_dashboard.outputs.exports import put_text
from zi_dashboard.reading.lke_answers import Answer, answer_text
from zi_dashboard.reading.lke_instrument import (
    CHOICE_KINDS,
    COUNT,
    INDEX,
    INDEX_MAX,
    PERCENT,
    ZERO_ALL_ZERO,
    Instrument,
    Question,
)

ANSWER_SHEET = "Jawaban"
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
PART_CODES = {"pemenuhan": "I.", "reform": "II."}
# columns of the answer sheet (1-based): as the official sheet, then our value and points columns
ID, TOP, PART, AREA, SUB, LETTER, TEXT, WEIGHT, CRITERIA, OPTIONS = range(1, 11)
U_ANSWER, U_NOTE, U_EVIDENCE, U_LINK, T_ANSWER, T_VALUE, T_PCT, T_NOTE, U_VALUE, U_POINTS, T_POINTS = range(11, 22)
HEAD_FILL = PatternFill("solid", fgColor="1F3864")
HEADING_FILL = PatternFill("solid", fgColor="D9E1F2")
ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")
EPS = "0.000000001"  # a value equal to its threshold passes (counting.readiness.EPSILON)


def _col(c: int) -> str:
    return get_column_letter(c)


def _headings(q: Question, last: dict, instrument: Instrument) -> list[tuple[int, str, str]]:
    """The heading rows (column, code, text) a question needs before it when its part, area or
    sub-area changes."""
    K = L.LKE_EXPORT
    if q.part == "hasil":
        out = [] if last.get("top") == "B" else [(TOP, "B.", K["hasil"])]
        last.update(top="B", part=q.part, area=None, sub=None)
        return out
    out = []
    sub = instrument.sub_area(q.code)
    if last.get("top") != "A":
        out.append((TOP, "A.", K["pengungkit"]))
    if last.get("part") != q.part:
        out.append((PART, PART_CODES[q.part], K[q.part]))
    if last.get("area") != (q.part, sub.area):
        out.append((AREA, f"{sub.area}.", L.lke_area_name(sub.area).upper()))
    if last.get("sub") != q.code:
        number = int(q.code.lstrip("R").split(".")[1])
        out.append((SUB, f"{ROMAN[number - 1]}.", sub.name))
    last.update(top="A", part=q.part, area=(q.part, sub.area), sub=q.code)
    return out


def layout(instrument: Instrument, first_row: int = 2) -> tuple[dict[int, int], list[tuple[int, int, str, str]]]:
    """Where each question goes (instrument row -> sheet row) and the heading rows (sheet row,
    column, code, text).  A question stands on its instrument row when the headings before it
    fit there (the official sheet), else right after them."""
    rows: dict[int, int] = {}
    headings: list[tuple[int, int, str, str]] = []
    last: dict = {}
    free = first_row
    for q in instrument.questions:
        heads = _headings(q, last, instrument)
        at = max(q.row, free + len(heads))
        headings += [(at - len(heads) + i, col, code, text) for i, (col, code, text) in enumerate(heads)]
        rows[q.row] = at
        free = at + 1
    return rows, headings


# --- formulas: a question's value 0..1 over its answer cell, as counting.lke_score does it ------
def _choice_formula(q: Question, cell: str) -> str:
    out = '""'
    for name, value in reversed(q.options):
        test = f'UPPER(LEFT(TRIM({cell}),1))="{name}"' if len(name) == 1 else f'UPPER(TRIM({cell}))="{name}"'
        if q.kind == "YA_TIDAK":  # "Ya", "ya", "Ya, ada": the first word
            test = f'UPPER(LEFT(TRIM({cell})&" ",{len(name) + 1}))="{name} "'
            test = f'OR(UPPER(TRIM({cell}))="{name}",{test})'
        out = f"IF({test},{value:g},{out})"
    return f'=IF(TRIM({cell})="","",{out})'


def _sum(terms, cells: dict[int, str]) -> str:
    text = "".join(f"{'+' if sign > 0 else '-'}N({cells[r]})" for sign, r in terms)
    return text[1:] if text.startswith("+") else text


def value_formula(q: Question, row: int, answer_col: int, value_col: int, sheet_rows: dict[int, int]) -> str:
    """The Excel formula of a question's value (for a count: the count used; a sub-total is the
    sum of its parts when any part is given)."""
    cell = f"{_col(answer_col)}{row}"
    values = {r: f"{_col(value_col)}{sheet_rows[r]}" for r in sheet_rows}
    typed = f'IF(ISNUMBER({cell}),{cell},"")'
    if q.kind in CHOICE_KINDS:
        return _choice_formula(q, cell)
    if q.kind == INDEX:
        return f'=IF(ISNUMBER({cell}),MIN(MAX({cell}/{INDEX_MAX:g},0),1),"")'
    if q.kind == COUNT and q.formula is not None and not q.formula.den:
        parts = ",".join(values[r] for _, r in q.formula.num)
        return f"=IF(COUNT({parts})>0,{_sum(q.formula.num, values)},{typed})"
    if q.kind == COUNT:
        return f"={typed}"
    f = q.formula
    assert f is not None  # a percent question has a formula (the instrument refuses one without)
    rows = list(dict.fromkeys(f.rows))
    given = f"COUNT({','.join(values[r] for r in rows)})={len(rows)}"
    num, den = _sum(f.num, values), _sum(f.den, values)
    zero = f"IF(AND({','.join(f'N({values[r]})=0' for r in rows)}),1,0)" if q.zero_rule == ZERO_ALL_ZERO else "1"
    return (
        f'=IF({given},IF(({den})=0,{zero},MIN(MAX(({num})/({den}),0),1)),IF(ISNUMBER({cell}),MIN(MAX({cell},0),1),""))'
    )


# --- the answer sheet ------------------------------------------------------------------------------
def _put(ws, row: int, col: int, value) -> None:
    """A cell from data: numbers as numbers, every text as text (never a formula)."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=col)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        put_text(cell, value)


def _answer_cell(ws, row: int, col: int, q: Question, a: Answer | None) -> None:
    if a is None or a.value is None:
        return
    if q.kind in CHOICE_KINDS:
        put_text(ws.cell(row=row, column=col), answer_text(q, a.value))
        return
    cell = ws.cell(row=row, column=col, value=a.value)
    if q.kind == PERCENT:
        cell.number_format = "0.0%"


def _header(ws, names: list, row: int = 1) -> None:
    for c, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=c)
        if name:
            put_text(cell, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _question_row(
    ws,
    r: int,
    n: int,
    q: Question,
    instrument: Instrument,
    unit: dict[int, Answer],
    tpi: dict[int, Answer],
    sheet_rows: dict[int, int],
) -> None:
    ws.cell(row=r, column=ID, value=n)
    if q.letter not in ("", "-"):
        put_text(ws.cell(row=r, column=LETTER), f"{q.letter}.")
    put_text(ws.cell(row=r, column=TEXT), q.text)
    _put(ws, r, CRITERIA, q.criteria)
    _put(
        ws,
        r,
        OPTIONS,
        "\n".join(
            L.LKE_EXPORT["option"].format(name=name.title() if len(name) > 1 else name, value=L.fmt_number(v, 2))
            for name, v in q.options
        ),
    )
    for col, answers, note_col in ((U_ANSWER, unit, U_NOTE), (T_ANSWER, tpi, T_NOTE)):
        a = answers.get(q.row)
        _answer_cell(ws, r, col, q, a)
        ws.cell(row=r, column=col).fill = ANSWER_FILL
        _put(ws, r, note_col, a.note if a is not None else None)
    a = unit.get(q.row)
    if a is not None:
        _put(ws, r, U_EVIDENCE, a.evidence)
        _put(ws, r, U_LINK, "\n".join(a.links))
    ws.cell(row=r, column=U_VALUE, value=value_formula(q, r, U_ANSWER, U_VALUE, sheet_rows))
    ws.cell(row=r, column=T_VALUE, value=value_formula(q, r, T_ANSWER, T_VALUE, sheet_rows))
    if q.scored:
        ws.cell(row=r, column=WEIGHT, value=instrument.worth(q))
        ws.cell(row=r, column=U_POINTS, value=f"=N({_col(U_VALUE)}{r})*{_col(WEIGHT)}{r}")
        ws.cell(row=r, column=T_POINTS, value=f"=N({_col(T_VALUE)}{r})*{_col(WEIGHT)}{r}")
        for c in (WEIGHT, U_VALUE, T_VALUE, U_POINTS, T_POINTS):
            ws.cell(row=r, column=c).number_format = "0.0000"
    for c in (TEXT, CRITERIA, OPTIONS, U_NOTE, U_EVIDENCE, U_LINK, T_NOTE):
        ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")


WIDTHS = {
    ID: 5,
    TOP: 4,
    PART: 4,
    AREA: 4,
    SUB: 5,
    LETTER: 4,
    TEXT: 60,
    WEIGHT: 9,
    CRITERIA: 50,
    OPTIONS: 16,
    U_ANSWER: 14,
    U_NOTE: 30,
    U_EVIDENCE: 30,
    U_LINK: 40,
    T_ANSWER: 14,
    T_VALUE: 10,
    T_PCT: 8,
    T_NOTE: 30,
    U_VALUE: 10,
    U_POINTS: 10,
    T_POINTS: 10,
}


def _answer_sheet(ws, instrument: Instrument, unit: dict[int, Answer], tpi: dict[int, Answer]) -> dict[int, int]:
    K = L.LKE_EXPORT
    header = [
        K["id"],
        K["component"],
        None,
        None,
        None,
        None,
        None,
        K["weight"],
        K["criteria"],
        K["options"],
        K["answer_unit"],
        K["note_unit"],
        K["evidence_unit"],
        K["link_unit"],
        K["answer_tpi"],
        K["value_tpi"],
        K["pct_tpi"],
        K["note_tpi"],
        K["value_unit"],
        K["points_unit"],
        K["points_tpi"],
    ]
    _header(ws, header)
    sheet_rows, headings = layout(instrument)
    for row, col, code, text in headings:
        put_text(ws.cell(row=row, column=col), code)
        put_text(ws.cell(row=row, column=TEXT), text)
        for c in range(1, len(header) + 1):
            ws.cell(row=row, column=c).fill = HEADING_FILL
            ws.cell(row=row, column=c).font = Font(bold=True)
    for n, q in enumerate(instrument.questions, start=1):
        _question_row(ws, sheet_rows[q.row], n, q, instrument, unit, tpi, sheet_rows)
    for c, w in WIDTHS.items():
        ws.column_dimensions[_col(c)].width = w
    ws.freeze_panes = "H2"
    return sheet_rows


# --- the summary sheet per level -------------------------------------------------------------------
def _area_rows(instrument: Instrument, part: str, sheet_rows: dict[int, int]) -> list[tuple[str, float, int, int]]:
    """(area code, max, first sheet row, last sheet row) of a part's areas: an area's questions
    stand together in the answer sheet."""
    out = []
    for area, weight in instrument.lke.area_weights(part).items():
        rows = [
            sheet_rows[q.row]
            for q in instrument.questions
            if q.part == part and instrument.sub_area(q.code).area == area
        ]
        if rows:
            out.append((area, weight, min(rows), max(rows)))
    return out


class _Summary:
    """The official "Unit" sheet for one level: Pengungkit (Pemenuhan and Reform per area), Hasil,
    the total, the areas as the gates count them and every WBK/WBBM gate, all formulas over the
    answer sheet's points column."""

    def __init__(self, ws, instrument: Instrument, sheet_rows: dict[int, int], level: str):
        self.ws, self.instrument, self.sheet_rows = ws, instrument, sheet_rows
        self.points = _col(U_POINTS if level == UNIT else T_POINTS)
        self.r = 4
        self.area_cells: dict[str, str] = {}  # 'pemenuhan.1' -> the cell of its points

    def line(self, code: str, name: str, maximum, points: str, bold: bool = False, at: int | None = None) -> int:
        """One line (No, Komponen, Bobot, Nilai, %); its row."""
        r = at if at is not None else self.r
        ws = self.ws
        put_text(ws.cell(row=r, column=1), code)
        put_text(ws.cell(row=r, column=2), name)
        ws.cell(row=r, column=3, value=maximum).number_format = "0.00"
        ws.cell(row=r, column=4, value=points).number_format = "0.00"
        ws.cell(row=r, column=5, value=f"=IF(N(C{r})>0,D{r}/C{r},0)").number_format = "0.0%"
        for c in range(1, 6) if bold else ():
            ws.cell(row=r, column=c).font = Font(bold=True)
            ws.cell(row=r, column=c).fill = HEADING_FILL
        if at is None:
            self.r += 1
        return r

    def group(self, code: str, name: str, lines) -> int:
        """A bold line summing the lines written by `lines()` under it; its row."""
        head = self.r
        self.r += 1
        lines()
        return self.line(
            code, name, f"=SUM(C{head + 1}:C{self.r - 1})", f"=SUM(D{head + 1}:D{self.r - 1})", bold=True, at=head
        )

    def part(self, part: str) -> None:
        src = f"'{ANSWER_SHEET}'!"
        for area, weight, first, last in _area_rows(self.instrument, part, self.sheet_rows):
            r = self.line(
                f"{area}.", L.lke_area_name(area), weight, f"=SUM({src}{self.points}{first}:{self.points}{last})"
            )
            self.area_cells[f"{part}.{area}"] = f"D{r}"

    def hasil(self) -> dict[str, str]:
        out = {}
        src = f"'{ANSWER_SHEET}'!"
        for code, key, label in (
            ("H1", "ipak", "hasil_ipak"),
            ("H2", "kinerja", "hasil_kinerja"),
            ("H3", "ipkp", "hasil_ipkp"),
        ):
            qs = [q for q in self.instrument.questions if q.code == code and q.scored]
            if qs:
                r = self.line(
                    code,
                    L.LKE_EXPORT[label],
                    self.instrument.lke.weight(code),
                    "=" + "+".join(f"{src}{self.points}{self.sheet_rows[q.row]}" for q in qs),
                )
                out[key] = f"D{r}"
        return out

    def areas(self) -> dict[str, str]:
        """The areas as the gates count them (Pemenuhan + Reform): area -> the cell of its %."""
        lke = self.instrument.lke
        self.title(L.LKE_EXPORT["areas_title"])
        out = {}
        for area in dict.fromkeys([*lke.area_weights("pemenuhan"), *lke.area_weights("reform")]):
            maximum = sum(lke.area_weights(p).get(area, 0.0) for p in ("pemenuhan", "reform"))
            parts = [self.area_cells[k] for k in (f"pemenuhan.{area}", f"reform.{area}") if k in self.area_cells]
            r = self.line(f"{area}.", L.lke_area_name(area), maximum, "=" + ("+".join(parts) or "0"))
            if maximum > 0:
                out[area] = f"E{r}"
        return out

    def title(self, text: str) -> None:
        self.r += 1
        put_text(self.ws.cell(row=self.r, column=1), text)
        self.ws.cell(row=self.r, column=1).font = Font(bold=True)
        self.r += 1

    def gates(self, pred: str, values: dict[str, str], area_pct: dict[str, str], wbk_cell: str | None) -> str:
        """The gates of a predicate, each passed when its value reaches the threshold; the cell
        that says whether all pass."""
        K, R, t, ws = L.LKE_EXPORT, L.READY, THRESHOLDS[pred], self.ws
        self.title(K["gates_title"].format(predicate=pred))
        for c, name in enumerate((R["col_gate"], R["col_threshold"], R["col_value"], R["col_result"]), start=2):
            put_text(ws.cell(row=self.r - 1, column=c), name)
            ws.cell(row=self.r - 1, column=c).font = Font(bold=True)
        gates: list[tuple[str, float, str, bool]] = (
            [(R["gate_wbk"], 1, f'IF({wbk_cell}="{K["yes"]}",1,0)', False)] if wbk_cell else []
        )
        gates += [(R[f"gate_{k}"], t[k], values[k], False) for k in ("total", "pengungkit")]
        gates += [
            (R["gate_area"].format(code=a, name=L.lke_area_name(a)), t["area"] / 100.0, cell, True)
            for a, cell in area_pct.items()
        ]
        gates += [
            (R[f"gate_{k}"], t[k], values[k], False) for k in ("birokrasi_bersih", "ipak", "kinerja", "pelayanan_prima")
        ]
        results = []
        for label, threshold, value, pct in gates:
            r = self.r
            put_text(ws.cell(row=r, column=2), label)
            ws.cell(row=r, column=3, value=threshold).number_format = "0.0%" if pct else "0.00"
            ws.cell(row=r, column=4, value=f"={value}").number_format = "0.0%" if pct else "0.00"
            ws.cell(row=r, column=5, value=f'=IF(D{r}>=C{r}-{EPS},"{K["yes"]}","{K["no"]}")')
            results.append(f'E{r}="{K["yes"]}"')
            self.r += 1
        put_text(ws.cell(row=self.r, column=2), K["predicate"].format(predicate=pred))
        ws.cell(row=self.r, column=2).font = Font(bold=True)
        ws.cell(row=self.r, column=5, value=f'=IF(AND({",".join(results)}),"{K["yes"]}","{K["no"]}")')
        ws.cell(row=self.r, column=5).font = Font(bold=True)
        self.r += 1
        return f"E{self.r - 1}"


def _summary_sheet(ws, instrument: Instrument, sheet_rows: dict[int, int], level: str, title: str) -> None:
    K = L.LKE_EXPORT
    put_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    _header(ws, [K["col_no"], K["col_component"], K["col_max"], K["col_points"], K["col_pct"]], row=3)
    s = _Summary(ws, instrument, sheet_rows, level)
    parts = {}
    hasil: dict[str, str] = {}

    def pengungkit() -> None:
        for part in ("pemenuhan", "reform"):
            parts[part] = s.group(PART_CODES[part], K[part], lambda p=part: s.part(p))

    def hasil_lines() -> None:
        hasil.update(s.hasil())

    top = s.group("A.", K["pengungkit"], pengungkit)
    ws.cell(row=top, column=3, value=f"=C{parts['pemenuhan']}+C{parts['reform']}")
    ws.cell(row=top, column=4, value=f"=D{parts['pemenuhan']}+D{parts['reform']}")
    bottom = s.group("B.", K["hasil"], hasil_lines)
    total = s.line("", K["total"], f"=C{top}+C{bottom}", f"=D{top}+D{bottom}", bold=True)
    area_pct = s.areas()
    ipak, kinerja, ipkp = (hasil.get(k, "0") for k in ("ipak", "kinerja", "ipkp"))
    values = {
        "total": f"D{total}",
        "pengungkit": f"D{top}",
        "birokrasi_bersih": f"{ipak}+{kinerja}",
        "ipak": ipak,
        "kinerja": kinerja,
        "pelayanan_prima": ipkp,
    }
    wbk = s.gates(WBK, values, area_pct, None)
    s.gates(WBBM, values, area_pct, wbk)
    for c, w in {1: 6, 2: 58, 3: 12, 4: 12, 5: 12}.items():
        ws.column_dimensions[_col(c)].width = w


def lke_workbook_bytes(
    instrument: Instrument,
    unit: dict[int, Answer],
    tpi: dict[int, Answer] | None = None,
    *,
    unit_name: str = "",
    year: int | None = None,
) -> bytes:
    """The LKE workbook of a unit's answers (and the TPI's when given) as .xlsx bytes."""
    tpi = tpi or {}
    K = L.LKE_EXPORT
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = ANSWER_SHEET
    sheet_rows = _answer_sheet(ws, instrument, unit, tpi)
    where = K["title_where"].format(unit=unit_name or "-", year=year or instrument.year, instrument=instrument.year)
    for level, answers in ((UNIT, unit), (TPI, tpi)):
        if level == TPI and not answers:
            continue
        name = K["sheet_unit"] if level == UNIT else K["sheet_tpi"]
        _summary_sheet(
            wb.create_sheet(name),
            instrument,
            sheet_rows,
            level,
            f"{K['title_unit'] if level == UNIT else K['title_tpi']} · {where}",
        )
        wb[name].sheet_properties.tabColor = "1F3864"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_name(unit_name: str, year: int) -> str:
    from zi_dashboard.reading.units import unit_slug

    return f"lke-{unit_slug(unit_name) or 'satker'}-{year}.xlsx"
