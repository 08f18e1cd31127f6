"""Answers to LKE questions as people type them (docs/lke.md, "Jawaban"): "Ya", "ya", "TIDAK",
"A", "b", "B. sebagian besar …", "a. Jika semua …"; counts as numbers or text with thousands
dots ("1.250"); survey indices as 3,62 or 3.62; a percentage typed as 85%, 85 or 0,85.

`normalise_answer` turns one cell into the stored form of its answer type, or says in Indonesian
what is wrong.  No Streamlit, no database.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from zi_dashboard import labels as L
from zi_dashboard.reading.header import cell_text, parse_number
from zi_dashboard.reading.lke_instrument import (
    CHOICE_KINDS,
    COUNT,
    INDEX,
    INDEX_MAX,
    PERCENT,
    YA_TIDAK,
    Instrument,
    Question,
)

_LETTER = re.compile(r"^\s*\(?([a-eA-E])\s*(?:[.):\-]|\s|$)")
_THOUSANDS = re.compile(r"^\d{1,3}([.\s]\d{3})+$")
_YES = {"ya", "y", "iya", "yes", "1"}
_NO = {"tidak", "tdk", "t", "no", "0"}


@dataclass(frozen=True)
class Answer:
    """One question's answer at one level: `value` is 'A'..'E', 'YA'/'TIDAK', a count (int), a
    survey index (float 0..4) or a typed percentage (float 0..1); None when not answered."""

    row: int
    value: str | int | float | None = None
    note: str = ""
    evidence: str = ""
    links: tuple[str, ...] = field(default_factory=tuple)

    @property
    def answered(self) -> bool:
        return self.value is not None


def answers_to_json(answers: dict[int, Answer]) -> str:
    return json.dumps(
        [{**asdict(a), "links": list(a.links)} for a in sorted(answers.values(), key=lambda a: a.row)],
        ensure_ascii=False,
    )


def answers_from_json(text: str) -> dict[int, Answer]:
    out = {}
    for d in json.loads(text or "[]"):
        out[int(d["row"])] = Answer(
            int(d["row"]), d.get("value"), d.get("note", ""), d.get("evidence", ""), tuple(d.get("links", ()))
        )
    return out


def _choice(q: Question, raw: object) -> str:
    text = cell_text(raw).strip()
    options = [o for o, _ in q.options]
    if q.kind == YA_TIDAK:
        word = re.split(r"[\s.,;:()\-]+", text.casefold(), maxsplit=1)[0]
        if word in _YES:
            return "YA"
        if word in _NO:
            return "TIDAK"
    else:
        m = _LETTER.match(text)
        if m and m.group(1).upper() in options:
            return m.group(1).upper()
    raise ValueError(
        L.msg(
            "lke_answer_not_option",
            answer=_short(text),
            options=", ".join(o.title() if len(o) > 1 else o for o in options),
        )
    )


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _count(raw: object) -> int:
    if isinstance(raw, str) and _THOUSANDS.match(raw.strip()):
        raw = re.sub(r"[.\s]", "", raw.strip())
    try:
        number = parse_number(raw)
    except ValueError:
        raise ValueError(L.msg("lke_answer_not_count", answer=_short(cell_text(raw)))) from None
    if number < 0:
        raise ValueError(L.msg("lke_answer_negative", answer=L.fmt_number(number, 0)))
    if not float(number).is_integer():
        raise ValueError(L.msg("lke_answer_not_whole", answer=L.fmt_number(number, 2)))
    return int(number)


def _index(raw: object) -> float:
    try:
        number = parse_number(raw)
    except ValueError:
        raise ValueError(L.msg("lke_answer_not_index", answer=_short(cell_text(raw)))) from None
    if not 0.0 <= number <= INDEX_MAX:  # no tolerance above the maximum
        raise ValueError(L.msg("lke_answer_index_range", answer=L.fmt_number(number, 2)))
    return number


def _percent(raw: object) -> float:
    text = cell_text(raw).strip()
    has_sign = text.endswith("%")
    try:
        number = parse_number(text.rstrip("%").strip() if has_sign else raw)
    except ValueError:
        raise ValueError(L.msg("lke_answer_not_percent", answer=_short(text))) from None
    if has_sign or number > 1.0:
        number /= 100.0
    if not 0.0 <= number <= 1.0:
        raise ValueError(L.msg("lke_answer_percent_range", answer=_short(text)))
    return number


def normalise_answer(q: Question, raw: object) -> str | int | float | None:
    """The stored form of a typed answer (None for an empty cell).  ValueError with the
    Indonesian reason for anything that is not an answer to this question."""
    if raw is None or isinstance(raw, str) and not raw.strip():
        return None
    if isinstance(raw, float) and raw != raw:
        return None
    if isinstance(raw, (date, datetime)):
        raise ValueError(L.msg("lke_answer_date"))
    if q.kind in CHOICE_KINDS:
        return _choice(q, raw)
    if q.kind == COUNT:
        return _count(raw)
    if q.kind == INDEX:
        return _index(raw)
    if q.kind == PERCENT:
        return _percent(raw)
    raise ValueError(q.kind)


def answer_text(q: Question, value: str | int | float | None) -> str:
    """An answer as the user reads it (decimal comma)."""
    if value is None:
        return ""
    if q.kind == YA_TIDAK:
        return str(value).title()
    if q.kind in CHOICE_KINDS:
        return str(value)
    if q.kind == COUNT:
        return L.fmt_number(float(value), 0)
    if q.kind == INDEX:
        return L.fmt_number(float(value), 2)
    return L.fmt_number(float(value) * 100.0, 1) + "%"


def known_rows(instrument: Instrument, answers: dict[int, Answer]) -> dict[int, Answer]:
    """The answers whose row is a question of `instrument` (an older set read with a newer
    instrument keeps what still applies)."""
    return {r: a for r, a in answers.items() if instrument.has_row(r)}
