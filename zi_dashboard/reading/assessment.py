"""The self-assessment (penilaian mandiri): what the work plan does not cover.

Fields, by stable code (the same codes the template sheet and the store use):
- 'R1'..'R6'     Reform points of an area (0 .. the area's Reform weight)
- 'R1.1'..'R6.2' Reform points of a sub-area (0 .. its weight); an area's sum follows from them
- 'IPAK', 'IPKP' survey indices (0 .. 4)
- 'KINERJA'      capaian kinerja points (0 .. 5)

Every value is checked, with no tolerance above its maximum (a value 1e-9 over it is refused:
widgets that show it are bounded by the maximum); bad input gives a problem naming the field and
no Assessment at all.  A stored assessment saved before that rule (or otherwise bad) is read with
`salvage=True`: over-maximum values count as their maximum, the rest of the bad fields as not
entered, and every problem is returned so that the page can say so and how to fix it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from zi_dashboard import labels as L
from zi_dashboard.reading.header import cell_text, normalise_header, parse_number
from zi_dashboard.reading.lke import Lke
from zi_dashboard.reading.problems import Problem, error
from zi_dashboard.reading.sheets import read_grids

SURVEY_MAX = 4.0
IPAK, IPKP, KINERJA = "IPAK", "IPKP", "KINERJA"


@dataclass(frozen=True)
class Assessment:
    reform: dict[str, float] = field(default_factory=dict)  # area code ('1'..'6') -> points
    reform_sub: dict[str, float] = field(default_factory=dict)  # 'R1.1' -> points, where given
    ipak: float | None = None  # index 0..4
    ipkp: float | None = None  # index 0..4
    kinerja: float | None = None  # points 0..5

    def values(self) -> dict[str, float]:
        """The entered values by field code (what is stored)."""
        out = {f"R{a}": v for a, v in self.reform.items() if not any(k.startswith(f"R{a}.") for k in self.reform_sub)}
        out.update(self.reform_sub)
        for k, v in ((IPAK, self.ipak), (IPKP, self.ipkp), (KINERJA, self.kinerja)):
            if v is not None:
                out[k] = v
        return out

    def to_json(self) -> str:
        return json.dumps(self.values(), sort_keys=True)

    def replace(self, **changes) -> Assessment:
        from dataclasses import replace

        return replace(self, **changes)


def field_codes(lke: Lke) -> list[str]:
    areas = list(lke.area_weights("reform"))
    return [f"R{a}" for a in areas] + lke.reform_codes + [IPAK, IPKP, KINERJA]


def field_max(code: str, lke: Lke) -> float:
    if code in (IPAK, IPKP):
        return SURVEY_MAX
    if code == KINERJA:
        return lke.weight("H2")
    if code in lke.reform_codes:
        return lke.weight(code)
    return lke.area_weights("reform")[code[1:]]


def field_label(code: str) -> str:
    """The field's name as users read it: 'Reform 5. Penguatan Pengawasan', 'IPAK (indeks 0–4)'."""
    A = L.ASSESS
    if code in (IPAK, IPKP, KINERJA):
        return {IPAK: A["field_ipak"], IPKP: A["field_ipkp"], KINERJA: A["field_kinerja"]}[code]
    if "." in code:
        return A["field_reform_sub"].format(code=code)
    return A["field_reform_area"].format(area=code[1:], name=L.lke_area_name(code[1:]))


def validate(
    raw: dict[str, object], lke: Lke, rows: dict[str, int] | None = None, salvage: bool = False
) -> tuple[Assessment | None, list[Problem]]:
    """Raw values by field code (blank = not entered) -> an Assessment, or None and every problem
    (salvage: always an Assessment, over-maximum values clipped, with the problems)."""
    codes = field_codes(lke)
    problems: list[Problem] = []
    values: dict[str, float] = {}
    for code, value in raw.items():
        row = (rows or {}).get(code)
        if code not in codes:
            problems.append(error(L.msg("assess_unknown_field", code=str(code)[:40]), row))
            continue
        if cell_text(value) == "":
            continue
        label, top = field_label(code), field_max(code, lke)
        try:
            number = parse_number(value)
        except ValueError:
            problems.append(error(L.msg("assess_not_number", field=label, value=cell_text(value)[:40]), row))
            continue
        if number < 0 or number > top:
            shown = cell_text(value)[:40].replace(".", ",")
            problems.append(
                error(
                    L.msg(
                        "assess_out_of_range",
                        field=label,
                        value=shown,
                        max=L.fmt_number(top, 2).rstrip("0").rstrip(","),
                    ),
                    row,
                )
            )
            if salvage and number > top:
                values[code] = top
            continue
        values[code] = number
    areas = lke.area_weights("reform")
    reform: dict[str, float] = {}
    subs = {c: v for c, v in values.items() if c in lke.reform_codes}
    for area in areas:
        mine = {c: v for c, v in subs.items() if lke.reform_area_of(c) == area}
        given = values.get(f"R{area}")
        if mine:
            total = sum(mine.values())
            if given is not None and abs(given - total) > 1e-6:
                label = field_label(f"R{area}")
                problems.append(
                    error(
                        L.msg(
                            "assess_sum_conflict",
                            field=label,
                            value=L.fmt_number(given, 2),
                            total=L.fmt_number(total, 2),
                        ),
                        (rows or {}).get(f"R{area}"),
                    )
                )
            reform[area] = total
        elif given is not None:
            reform[area] = given
    if problems and not salvage:
        return None, problems
    return Assessment(reform, subs, values.get(IPAK), values.get(IPKP), values.get(KINERJA)), problems


def from_json(text: str, lke: Lke) -> tuple[Assessment, list[Problem]]:
    """A stored assessment (validated when it was saved, perhaps by a looser rule) and what is
    wrong with it now: over-maximum values count as their maximum, other bad fields as blank."""
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        return Assessment(), [error(L.msg("assess_unknown_field", code=str(text)[:40]))]
    found, problems = validate(raw, lke, salvage=True)
    return found or Assessment(), problems


def read_assessment(data: bytes, filename: str, lke: Lke) -> tuple[Assessment | None, list[Problem]]:
    """An uploaded sheet with a 'Kode' and a 'Nilai' column (the template's layout).
    Raises UnreadableFile for bytes that are no spreadsheet."""
    for grid in read_grids(data, filename):
        for i, row in enumerate(grid.rows[:40]):
            names = [normalise_header(v) for v in row]
            if "kode" in names and "nilai" in names:
                c_code, c_value = names.index("kode"), names.index("nilai")
                raw: dict[str, object] = {}
                at: dict[str, int] = {}
                for j, cells in enumerate(grid.rows[i + 1 :], start=i + 2):
                    code = cell_text(cells[c_code] if c_code < len(cells) else None).upper()
                    if not code:
                        continue
                    raw[code] = cells[c_value] if c_value < len(cells) else None
                    at[code] = j
                return validate(raw, lke, at)
    return None, [error(L.msg("assess_no_table"))]
