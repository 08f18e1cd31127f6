"""Finding the table in a grid: header row, column roles, title rows, body rows.

Shared by plan files and progress files.  No domain rules here beyond what a column is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from zi_dashboard import labels as L
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.periods import MONTH_BY_WORD, find_date, header_period
from zi_dashboard.reading.sheets import Grid

# header synonyms, normalised (see normalise_header); the first words decide
FIELD_SYNONYMS: dict[str, list[str]] = {
    "code": ["kode", "kode indikator", "no", "nomor", "no urut", "kode rencana aksi"],
    "component": ["komponen", "komponen pengungkit", "area perubahan", "area"],
    "indicator": ["indikator program", "indikator", "program", "indikator kegiatan", "sub komponen", "nama indikator"],
    "action": [
        "rencana aksi kegiatan",
        "rencana aksi",
        "kegiatan",
        "rencana kegiatan",
        "sub kegiatan",
        "aksi",
        "uraian kegiatan",
    ],
    "target": ["target waktu", "target", "waktu", "jadwal", "tenggat", "target penyelesaian", "batas waktu"],
    "pic": ["pic", "penanggung jawab", "penanggungjawab", "pj", "pelaksana"],
    "progress": [
        "progres",
        "progress",
        "capaian",
        "realisasi",
        "persentase",
        "prosentase",
        "persen",
        "progres capaian",
        "fisik",
    ],
    "status": ["status"],
    "evidence": ["bukti dukung", "eviden", "evidence", "link", "tautan", "bukti", "link bukti dukung", "data dukung"],
    "notes": ["keterangan", "kendala", "catatan", "ket"],
    "weight": ["bobot", "bobot lke"],
}
FIELDS = list(FIELD_SYNONYMS)
# a column with one of these words is never progress: "Target Realisasi (%)", "Rencana Progres
# November", "Bobot", "Deviasi Capaian"
# "Deviasi Capaian"; and money is never progress: "Realisasi Keuangan (Rp)", "Realisasi Rupiah"
NOT_PROGRESS_WORDS = {"target", "rencana", "bobot", "deviasi", "selisih", "anggaran", "pagu", "rp", "rupiah"}


def normalise_header(value: object) -> str:
    t = str(value or "").casefold()
    t = re.sub(r"\(\s*%\s*\)|%", " ", t)
    t = re.sub(r"[^\w]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def header_field(value: object) -> str | None:
    t = normalise_header(value)
    if not t or len(t) > 60:
        return None
    found = None
    for field_name, names in FIELD_SYNONYMS.items():
        if t in names:
            found = field_name
            break
    else:
        for field_name, names in FIELD_SYNONYMS.items():
            if any(t.startswith(n + " ") for n in names):
                found = field_name
                break
    if found == "progress" and NOT_PROGRESS_WORDS & set(t.split()):
        return None
    return found


def progress_candidates(row: list) -> list[tuple[int, str]]:
    """Every column of a header row that may hold progress: the columns named as progress,
    and after one of them the columns named by a period only ("Realisasi Oktober | November |
    Desember", "Progres s.d. TW III | s.d. TW IV").  -> [(column, header as written)]"""
    out: list[tuple[int, str]] = []
    previous_was_progress = False
    for i, v in enumerate(row):
        text = v.strip() if isinstance(v, str) else ""
        if text and header_field(text) == "progress":
            out.append((i, text))
            previous_was_progress = True
        elif text and previous_was_progress and _period_only(text):
            out.append((i, text))
        else:
            previous_was_progress = False
    return out


def _period_only(text: str) -> bool:
    """A header that names a period and nothing else ('Nov', 's.d. TW IV', 'Desember 2025')."""
    if header_period(text) is None:
        return False
    t = normalise_header(text)
    if NOT_PROGRESS_WORDS & set(t.split()):
        return False
    rest = re.sub(
        r"\b(s d|sd|sampai dengan|sampai|bulan|triwulan|tw|kuartal|semester|smt|q|"
        r"[ivx]+|\d+|" + "|".join(MONTH_BY_WORD) + r")\b",
        " ",
        t,
    )
    return not rest.strip()


@cached(maxsize=8192, typed=True)
def normalise_name(value: object) -> str:
    """For matching indicator and component names: case, spacing and punctuation ignored."""
    t = unicodedata.normalize("NFKC", str(value or "")).casefold()
    t = re.sub(r"[^\w]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


@cached(maxsize=16384, typed=True)
def cell_text(value: object) -> str:
    """A cell as plain text: '' for empty, numbers without a trailing .0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return L.EXCEL_TRUE if value else L.EXCEL_FALSE
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Table:
    grid: Grid
    header_row: int  # sheet row number of the header
    columns: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> header text as written (for messages)
    body: list[tuple[int, list]]  # (sheet row number, cells) below the header
    title_lines: list[str]  # text of the rows above the header
    progress_columns: list[tuple[int, str]] = field(default_factory=list)  # every progress-like column
    all_columns: list[tuple[int, str]] = field(default_factory=list)  # every named column (header as read)

    @property
    def headers_by_col(self) -> dict[int, str]:
        return {c: self.headers[f] for f, c in self.columns.items()}

    def position_date(self) -> date | None:
        """'Posisi: 15 November 2025' / 'Posisi per 15/11/2025' / 'Per tanggal ...' above the table."""
        for line in self.title_lines:
            m = re.search(r"\b(posisi|per\s+tanggal|keadaan|kondisi|tanggal\s+data)\b(.*)", line, re.I)
            if m:
                found = find_date(m.group(2))
                if found:
                    return found
        return None


_MAX_HEADER_SCAN = 40


def _row_fields(row: list) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for i, v in enumerate(row):
        if v is None or v == "" or not isinstance(v, str):
            continue
        f = header_field(v)
        if not f:
            continue
        if f not in found:
            found[f] = (i, str(v).strip())
        elif (
            f == "code"
            and normalise_header(v).startswith("kode")
            and not normalise_header(found[f][1]).startswith("kode")
        ):
            found[f] = (i, str(v).strip())  # 'Kode' beats a plain numbering column 'No'

    return found


def _is_column_number_row(row: list) -> bool:
    values = [cell_text(v) for v in row if cell_text(v)]
    if len(values) < 2:
        return False
    nums = []
    for v in values:
        m = re.fullmatch(r"\(?\s*(\d+)\s*\)?\.?", v)
        if not m:
            return False
        nums.append(int(m.group(1)))
    return nums == list(range(nums[0], nums[0] + len(nums)))


_DATA_LIKE = re.compile(r"^[+-]?[\d.,\s%]+$")


def _sub_header(row: list, below: list) -> list | None:
    """`row` joined with the sub-headers under it when `below` is a second header row: a row
    of short texts only (no number, code or date) with two or more of them under one parent
    header, the parent merged over its sub-columns (blank to its right) or repeated over them
    ("REALISASI" over "KEUANGAN (Rp) | KEUANGAN (%) | FISIK (%)").  Each column's header becomes
    "parent sub" ("REALISASI FISIK (%)"); a column merged down both rows keeps its own.  None
    when `below` is no sub-header row."""
    subs = [cell_text(v) for v in below]
    if not any(subs) or any(
        v not in (None, "") and (not isinstance(v, str) or _DATA_LIKE.match(v.strip()) or len(v) > 60) for v in below
    ):
        return None
    heads = [cell_text(v) if isinstance(v, str) else "" for v in row]
    width = max(len(heads), len(subs))
    heads += [""] * (width - len(heads))
    subs += [""] * (width - len(subs))
    parents, grouped, c = list(heads), False, 0
    while c < width:
        end = c + 1
        while (
            heads[c]
            and end < width
            and subs[c]
            and subs[end]
            and (not heads[end] or normalise_header(heads[end]) == normalise_header(heads[c]))
        ):
            end += 1
        if end - c >= 2:
            parents[c:end] = [heads[c]] * (end - c)
            grouped = True
        c = end
    if not grouped:
        return None
    out: list[str | None] = []
    for parent, sub in zip(parents, subs, strict=True):
        if parent and sub and normalise_header(sub) != normalise_header(parent):
            out.append(f"{parent} {sub}")
        else:
            out.append(parent or sub or None)
    return out


def find_header(grid: Grid, required: list[tuple[str, ...]]) -> Table | None:
    """The first row within the top rows that names, for each tuple in `required`, one of its
    fields (with a second header row under it, the two joined: see _sub_header).  Among
    candidates the one with the most recognised columns wins."""
    best: tuple[int, int, dict, list, int] | None = None
    rows = grid.rows
    for idx, row in enumerate(rows[:_MAX_HEADER_SCAN]):
        joined = _sub_header(row, rows[idx + 1]) if idx + 1 < len(rows) else None
        found = _row_fields(joined or row)
        if not all(any(f in found for f in group) for group in required):
            continue
        if best is None or len(found) > best[1]:
            best = (idx, len(found), found, joined or row, 2 if joined else 1)
    if best is None:
        return None
    idx, _, found, header, header_rows = best
    body_start = idx + header_rows
    if body_start < len(grid.rows) and _is_column_number_row(grid.rows[body_start]):
        body_start += 1
    titles = [" ".join(cell_text(v) for v in row if cell_text(v)) for row in grid.rows[:idx]]
    body = list(enumerate(grid.rows[body_start:], start=body_start + 1))  # (sheet row, cells)
    return Table(
        grid=grid,
        header_row=idx + 1,
        columns={f: c for f, (c, _) in found.items()},
        headers={f: h for f, (_, h) in found.items()},
        body=body,
        title_lines=[t for t in titles if t],
        progress_columns=progress_candidates(header),
        all_columns=[(i, v.strip()) for i, v in enumerate(header) if isinstance(v, str) and v.strip()],
    )


def seen_headers(grid: Grid, limit: int = 8) -> str:
    """For the 'no header' message: the first few texts of the top rows."""
    texts: list[str] = []
    for row in grid.rows[:_MAX_HEADER_SCAN]:
        for v in row:
            t = cell_text(v)
            if t and not re.fullmatch(r"[\d.,%\s-]+", t):
                texts.append(repr(t[:40]))
            if len(texts) >= limit:
                return ", ".join(texts)
    return ", ".join(texts) or L.MSG["no_header_seen_none"]


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(value: object) -> float:
    """A number as people type it: 2.5, '2,5', '2.5', ' 3 '.  ValueError for text, dates,
    booleans, NaN and infinities."""
    if isinstance(value, (bool, date, datetime)):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value if value is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if not _NUMBER.match(text):
            raise ValueError(value)
        number = float(text.replace(",", "."))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return number + 0.0
