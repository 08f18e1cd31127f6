"""The LKE (Lembar Kerja Evaluasi) structure: parts, areas, sub-areas and their weights.

Read from data/lke-2026.csv (PermenPANRB 90/2021 as used for 2026; docs/lke.md): 60
points Pengungkit (Pemenuhan 30 + Reform 30, per area), 40 points Hasil (IPAK 17,5, capaian
kinerja 5, IPKP 17,5).  No Streamlit, no database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import DATA_DIR

LKE_FILE = DATA_DIR / "lke-2026.csv"


@dataclass(frozen=True)
class SubArea:
    part: str  # pemenuhan | reform | hasil
    area: str  # '1'..'6' (pengungkit), 'B1'/'B2' (hasil)
    code: str  # '1.1', 'R1.1', 'H1'
    name: str
    weight: float


@dataclass(frozen=True)
class Lke:
    sub_areas: tuple[SubArea, ...]

    def part(self, part: str) -> list[SubArea]:
        return [s for s in self.sub_areas if s.part == part]

    def area_weights(self, part: str) -> dict[str, float]:
        """Area code -> the sum of its sub-areas' weights, in LKE order."""
        out: dict[str, float] = {}
        for s in self.part(part):
            out[s.area] = out.get(s.area, 0.0) + s.weight
        return out

    def weight(self, code: str) -> float:
        return next(s.weight for s in self.sub_areas if s.code == code)

    @property
    def reform_codes(self) -> list[str]:
        return [s.code for s in self.part("reform")]

    def reform_area_of(self, code: str) -> str:
        return next(s.area for s in self.part("reform") if s.code == code)


def parse_lke(text: str) -> Lke:
    rows = csv.DictReader(io.StringIO(text))
    return Lke(
        tuple(
            SubArea(r["bagian"].strip(), r["area"].strip(), r["kode"].strip(), r["sub_area"].strip(), float(r["bobot"]))
            for r in rows
        )
    )


@cached(maxsize=1)
def load_lke() -> Lke:
    return parse_lke(LKE_FILE.read_text(encoding="utf-8"))
