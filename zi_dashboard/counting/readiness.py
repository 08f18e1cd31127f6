"""Readiness for the WBK/WBBM predicate (docs/counting.md, "Kesiapan"): the work plan's
progress turned into an *estimate* of the LKE's Pemenuhan points, with the self-assessment for
what the plan does not cover (Reform, IPAK, IPKP, capaian kinerja), every predicate gate, the
points still open per row, evidence per row and the follow-up per PIC.

The one function behind every readiness figure on the page, in Mode rapat, the meeting pack and
the CLI is `readiness`.  Its input is metrics.compute's Result: progress and status are never
derived here again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Protocol, cast

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import Result
from zi_dashboard.reading.assessment import IPAK, IPKP, KINERJA, SURVEY_MAX, Assessment
from zi_dashboard.reading.lke import Lke, load_lke
from zi_dashboard.reading.plan import Plan

WBK, WBBM = "WBK", "WBBM"
PREDICATES = (WBK, WBBM)
# docs/counting.md, "Kesiapan": points, or percent of an area's total weight for the area gates
THRESHOLDS = {
    WBK: {
        "total": 75.0,
        "pengungkit": 40.0,
        "area": 60.0,
        "birokrasi_bersih": 18.25,
        "ipak": 15.75,
        "kinerja": 2.50,
        "pelayanan_prima": 14.00,
    },
    WBBM: {
        "total": 85.0,
        "pengungkit": 48.0,
        "area": 75.0,
        "birokrasi_bersih": 19.50,
        "ipak": 15.75,
        "kinerja": 3.75,
        "pelayanan_prima": 15.75,
    },
}
EPSILON = 1e-9  # a value equal to its threshold passes, whatever the float rounding
DUE_SOON_DAYS = 14  # follow-up: rows whose target ends within this many days

_LINK_SPLIT = re.compile(r"[\s,;]+")  # the reader turns new lines in a cell into spaces
_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.I)


def evidence_links(text: str) -> list[str]:
    """The distinct http(s) links in an evidence cell (several per cell, separated by new
    lines, commas or semicolons); anything else is not evidence a reviewer can open."""
    out: list[str] = []
    for part in _LINK_SPLIT.split(str(text or "")):
        p = part.strip()
        if _LINK.match(p) and p not in out:
            out.append(p)
    return out


@dataclass(frozen=True)
class Gate:
    predicate: str
    key: str  # total | pengungkit | area.K | birokrasi_bersih | ipak | kinerja | pelayanan_prima | wbk
    value: float  # points; percent of the area's weight for area gates; 1/0 for 'wbk'
    threshold: float
    passed: bool
    missing: float  # points still needed (0 when passed)
    area: str | None = None
    area_name: str = ""


def _gate(
    predicate: str,
    key: str,
    value: float,
    threshold: float,
    missing_points: float | None = None,
    area: str | None = None,
    area_name: str = "",
) -> Gate:
    passed = value >= threshold - EPSILON
    missing = 0.0 if passed else (missing_points if missing_points is not None else threshold - value)
    return Gate(predicate, key, float(value), float(threshold), passed, max(float(missing), 0.0), area, area_name)


class Verdicts:
    """What a result with Pengungkit, Hasil and WBK/WBBM gates says: shared by the plan-based
    forecast (Readiness) and the score from LKE answers (lke_score.LkeScore)."""

    gates: dict[str, list[Gate]]
    hasil: dict[str, float]

    @property
    def pengungkit(self) -> float:
        """The sum of the areas' points (each kind of result sums its own areas)."""
        raise NotImplementedError

    @property
    def total(self) -> float:
        return self.pengungkit + self.hasil["total"]

    def eligible(self, predicate: str) -> bool:
        return all(g.passed for g in self.gates[predicate])

    @property
    def wbk(self) -> bool:
        return self.eligible(WBK)

    @property
    def wbbm(self) -> bool:
        return self.eligible(WBBM)

    def failing(self, predicate: str) -> list[Gate]:
        return [g for g in self.gates[predicate] if not g.passed]


@dataclass
class Readiness(Verdicts):
    as_of: date
    has_weights: bool
    rows: pd.DataFrame  # one row per plan row: weight, progress, status, pemenuhan, open, evidence ...
    areas: pd.DataFrame  # code, name, pemenuhan, pemenuhan_max, reform, reform_max, points, max, pct
    assessment: Assessment
    hasil: dict[str, float]  # ipak_points, kinerja_points, birokrasi_bersih, ipkp_points, total
    gates: dict[str, list[Gate]]
    missing_inputs: list[str]  # 'weights', 'R1'..'R6', 'IPAK', 'IPKP', 'KINERJA': counted as 0
    assumed_done: tuple[str, ...] = ()
    hasil_max: float = 40.0
    lke: Lke | None = field(default=None, repr=False)

    @property
    def pemenuhan_total(self) -> float:
        return float(self.areas["pemenuhan"].sum())

    @property
    def pemenuhan_max(self) -> float:
        return float(self.areas["pemenuhan_max"].sum())

    @property
    def reform_total(self) -> float:
        return float(self.areas["reform"].sum())

    @property
    def reform_max(self) -> float:
        return float(self.areas["reform_max"].sum())

    @property
    def pengungkit(self) -> float:
        """The sum of the areas' points: the very number its gates compare (Pemenuhan + Reform
        summed the other way may differ in the last bit, and 29,095 show as 29,09 and 29,10)."""
        return float(self.areas["points"].sum())

    @cached_property
    def open_points(self) -> pd.DataFrame:
        """Rows with points still open, most first: where finishing a row moves the score most."""
        o = self.rows[self.rows["open"] > EPSILON]
        return o.sort_values(["open", "days_overdue", "code"], ascending=[False, False, True], kind="stable")

    @cached_property
    def no_evidence(self) -> pd.DataFrame:
        """Rows with progress above 0 and no evidence link (Selesai rows among them)."""
        return self.rows[(self.rows["progress"] > 0) & (self.rows["evidence_links"] == 0)]

    @cached_property
    def done_no_evidence(self) -> pd.DataFrame:
        return self.rows[(self.rows["status"] == L.DONE) & (self.rows["evidence_links"] == 0)]

    def evidence_share(self) -> pd.DataFrame:
        """Per component: rows, rows with evidence, share (%)."""
        g = self.rows.groupby("component_code", sort=False)
        out = pd.DataFrame({"rows": g.size(), "with_evidence": g["has_evidence"].sum().astype(int)})
        out["share"] = 100.0 * out["with_evidence"] / out["rows"]
        names = self.rows.drop_duplicates("component_code").set_index("component_code")["component"]
        out.insert(0, "name", names.reindex(out.index))
        return out.reset_index(names="code")


def _areas(rows: pd.DataFrame, assessment: Assessment, lke: Lke) -> pd.DataFrame:
    reform_max = lke.area_weights("reform")
    pem_lke = lke.area_weights("pemenuhan")
    codes = list(dict.fromkeys(list(rows["component_code"]) + list(reform_max)))
    g = rows.groupby("component_code", sort=False)
    names = g["component"].first()
    pem = g["pemenuhan"].sum()
    weights = g["weight"].sum(min_count=1)
    records = []
    for code in codes:
        in_plan = code in names.index
        planned = weights.get(code) if in_plan else None
        w = float(planned) if planned is not None and pd.notna(planned) else float(pem_lke.get(code, 0.0))
        r_max = float(reform_max.get(code, 0.0))
        p = float(pem.get(code, 0.0)) if in_plan else 0.0
        r = float(assessment.reform.get(code, 0.0))
        records.append(
            {
                "code": code,
                "name": str(names[code]) if in_plan else L.lke_area_name(code),
                "pemenuhan": p,
                "pemenuhan_max": w,
                "reform": r,
                "reform_max": r_max,
                "points": p + r,
                "max": w + r_max,
            }
        )
    areas = pd.DataFrame.from_records(records)
    areas["pct"] = [100.0 * p / m if m > 0 else 0.0 for p, m in zip(areas["points"], areas["max"], strict=True)]
    return areas


def _hasil(assessment: Assessment, lke: Lke) -> dict[str, float]:
    ipak = (assessment.ipak or 0.0) / SURVEY_MAX * lke.weight("H1")
    kinerja = assessment.kinerja or 0.0
    ipkp = (assessment.ipkp or 0.0) / SURVEY_MAX * lke.weight("H3")
    return {
        "ipak_points": ipak,
        "kinerja_points": kinerja,
        "birokrasi_bersih": ipak + kinerja,
        "ipkp_points": ipkp,
        "total": ipak + kinerja + ipkp,
    }


class AreaLike(Protocol):
    """An area as predicate_gates reads it (a row of Readiness.areas, an lke_score.AreaScore)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def points(self) -> float: ...
    @property
    def max(self) -> float: ...
    @property
    def pct(self) -> float: ...


def predicate_gates(
    pengungkit: float, total: float, areas: pd.DataFrame | Iterable[AreaLike], hasil: dict[str, float]
) -> dict[str, list[Gate]]:
    """Every WBK/WBBM gate of docs/counting.md ("Kesiapan"), for the plan-based estimate and the
    score from answers alike; `areas`: a table or records with code, name, points, max and pct."""
    out: dict[str, list[Gate]] = {}
    for pred in PREDICATES:
        t = THRESHOLDS[pred]
        gates = [_gate(pred, "total", total, t["total"]), _gate(pred, "pengungkit", pengungkit, t["pengungkit"])]
        # a table's rows have these columns (Readiness.areas)
        rows = cast(Iterable[AreaLike], areas.itertuples(index=False)) if isinstance(areas, pd.DataFrame) else areas
        for a in rows:
            if a.max <= 0:
                continue
            gates.append(
                _gate(
                    pred,
                    f"area.{a.code}",
                    a.pct,
                    t["area"],
                    t["area"] / 100.0 * a.max - a.points,
                    area=a.code,
                    area_name=a.name,
                )
            )
        gates += [
            _gate(pred, "birokrasi_bersih", hasil["birokrasi_bersih"], t["birokrasi_bersih"]),
            _gate(pred, "ipak", hasil["ipak_points"], t["ipak"]),
            _gate(pred, "kinerja", hasil["kinerja_points"], t["kinerja"]),
            _gate(pred, "pelayanan_prima", hasil["ipkp_points"], t["pelayanan_prima"]),
        ]
        out[pred] = gates
    wbk = all(g.passed for g in out[WBK])
    out[WBBM].insert(0, Gate(WBBM, "wbk", 1.0 if wbk else 0.0, 1.0, wbk, 0.0))
    return out


def _missing_inputs(has_weights: bool, assessment: Assessment, lke: Lke) -> list[str]:
    out = [] if has_weights else ["weights"]
    out += [f"R{a}" for a in lke.area_weights("reform") if a not in assessment.reform]
    out += [
        k for k, v in ((IPAK, assessment.ipak), (IPKP, assessment.ipkp), (KINERJA, assessment.kinerja)) if v is None
    ]
    return out


def readiness(
    result: Result, assessment: Assessment | None = None, lke: Lke | None = None, assume_done: Iterable[str] = ()
) -> Readiness:
    """Every readiness figure from the counted plan (metrics.compute's Result) and the
    self-assessment.  `assume_done`: rows counted as finished (100%, Selesai) for a what-if;
    nothing is stored and the Result is not changed."""
    lke = lke or load_lke()
    assessment = assessment or Assessment()
    ind = result.indicators
    cols = [
        "code",
        "component_code",
        "component",
        "indicator",
        "weight",
        "progress",
        "status",
        "days_overdue",
        "planned",
        "target_end",
        "pic",
        "evidence",
    ]
    rows = ind[cols].copy().reset_index(drop=True)
    assumed = tuple(c for c in dict.fromkeys(assume_done) if c in set(rows["code"]))
    if assumed:
        mask = rows["code"].isin(assumed)
        rows.loc[mask, "progress"] = 100.0
        rows.loc[mask, "status"] = L.DONE
        rows.loc[mask, "days_overdue"] = 0
    has_weights = bool(len(rows)) and bool(rows["weight"].notna().all())
    w = rows["weight"].astype(float).fillna(0.0)
    rows["pemenuhan"] = w * rows["progress"].astype(float) / 100.0
    rows["open"] = w * (100.0 - rows["progress"].astype(float)) / 100.0
    rows["evidence_links"] = rows["evidence"].map(lambda t: len(evidence_links(t))).astype(int)
    rows["has_evidence"] = rows["evidence_links"] > 0
    areas = _areas(rows, assessment, lke)
    hasil = _hasil(assessment, lke)
    pengungkit = float(areas["points"].sum())
    gates = predicate_gates(pengungkit, pengungkit + hasil["total"], areas, hasil)
    return Readiness(
        result.as_of,
        has_weights,
        rows,
        areas,
        assessment,
        hasil,
        gates,
        _missing_inputs(has_weights, assessment, lke),
        assumed,
        sum(s.weight for s in lke.part("hasil")),
        lke,
    )


def estimate(
    plan: Plan, progress: np.ndarray | None, assessment: Assessment, lke: Lke | None = None
) -> tuple[float, bool, bool]:
    """(total, WBK reached, WBBM reached) of a plan's progress per plan row (None: nothing
    uploaded) with a self-assessment: what `readiness` says of them (its total, its gates), in
    plain arithmetic without its tables.  The province view asks this of hundreds of units at
    once: `readiness` builds a unit's tables in tens of milliseconds, this takes a fraction of
    one.  (Sums are taken row by row: a total may differ from `readiness`'s in the last bits,
    never a gate: a value equal to its threshold passes either way, EPSILON.)"""
    lke = lke or load_lke()
    comps, weights = plan.rows["component_code"].tolist(), plan.rows["weight"].tolist()
    values = [0.0] * len(comps) if progress is None or len(progress) != len(comps) else progress.tolist()
    pem: dict[str, float] = {}
    weight: dict[str, float] = {}
    for c, w, p in zip(comps, weights, values, strict=True):
        pem[c] = pem.get(c, 0.0) + (0.0 if w != w else w) * float(p) / 100.0
        if w == w:
            weight[c] = weight.get(c, 0.0) + w
    reform_max, pem_lke = lke.area_weights("reform"), lke.area_weights("pemenuhan")
    areas = []  # (points, max) per area, as _areas counts them
    for code in dict.fromkeys([*comps, *reform_max]):
        w = weight[code] if code in weight else float(pem_lke.get(code, 0.0))
        p = pem.get(code, 0.0)
        areas.append((p + float(assessment.reform.get(code, 0.0)), w + float(reform_max.get(code, 0.0))))
    hasil = _hasil(assessment, lke)
    pengungkit = float(sum(points for points, _ in areas))
    total = pengungkit + hasil["total"]
    reached = {}
    for pred in PREDICATES:
        t = THRESHOLDS[pred]
        values_ = [
            (total, t["total"]),
            (pengungkit, t["pengungkit"]),
            *((100.0 * pts / mx, t["area"]) for pts, mx in areas if mx > 0),
            (hasil["birokrasi_bersih"], t["birokrasi_bersih"]),
            (hasil["ipak_points"], t["ipak"]),
            (hasil["kinerja_points"], t["kinerja"]),
            (hasil["ipkp_points"], t["pelayanan_prima"]),
        ]
        reached[pred] = all(v >= th - EPSILON for v, th in values_)
    return total, reached[WBK], reached[WBK] and reached[WBBM]


# --- follow-up per PIC ---------------------------------------------------------------------
FOLLOW_OVERDUE, FOLLOW_BEHIND, FOLLOW_DUE = "overdue", "behind", "due_soon"


@dataclass(frozen=True)
class FollowUp:
    pic: str  # '' for rows without a PIC
    rows: pd.DataFrame  # code, indicator, status, reason, days_overdue, days_left, target_end, progress, open

    @property
    def open_points(self) -> float:
        return float(self.rows["open"].sum())


def _reason(status: str, days_left: int, within_days: int) -> str | None:
    if status == L.OVERDUE:
        return FOLLOW_OVERDUE
    if status == L.BEHIND:
        return FOLLOW_BEHIND
    if status != L.DONE and 0 <= days_left <= within_days:
        return FOLLOW_DUE
    return None


def follow_up(r: Readiness, within_days: int = DUE_SOON_DAYS) -> list[FollowUp]:
    """For each PIC: their rows that are overdue, behind, or due within `within_days`, with the
    points still open; the PIC with the most open points first."""
    rows = r.rows.copy()
    rows["days_left"] = [(e - r.as_of).days if e is not None and not pd.isna(e) else 10**6 for e in rows["target_end"]]
    rows["reason"] = [_reason(s, d, within_days) for s, d in zip(rows["status"], rows["days_left"], strict=True)]
    rows = rows[rows["reason"].notna()]
    order = {FOLLOW_OVERDUE: 0, FOLLOW_BEHIND: 1, FOLLOW_DUE: 2}
    rows = rows.assign(_o=rows["reason"].map(order)).sort_values(
        ["_o", "days_overdue", "days_left", "code"], ascending=[True, False, True, True], kind="stable"
    )
    by_pic: dict[str, list[int]] = {}
    for i, pics in zip(rows.index, rows["pic"], strict=True):
        names = [p.strip() for p in str(pics).split(";") if p.strip()] or [""]
        for p in dict.fromkeys(names):
            by_pic.setdefault(p, []).append(i)
    keep = ["code", "indicator", "status", "reason", "days_overdue", "days_left", "target_end", "progress", "open"]
    out = [FollowUp(p, rows.loc[ix, keep].reset_index(drop=True)) for p, ix in by_pic.items()]
    return sorted(out, key=lambda f: (-f.open_points, f.pic == "", f.pic.casefold()))
