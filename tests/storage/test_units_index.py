"""The service's units and years (what the sidebar asks for every unit on every run): the
unit list first, then the units with a plan, one entry per unit however it is spelt; a unit's
years; a unit's work plan by name or URL form; a plan added is seen at once."""

from __future__ import annotations

from zi_dashboard.app import service
from zi_dashboard.reading.caching import clear_all
from zi_dashboard.reading.plan import BUNDLED_PLAN


def _add(unit: str, year: int) -> None:
    body = BUNDLED_PLAN.read_bytes()
    title = f"RENCANA KERJA ZONA INTEGRITAS {unit.upper()} TAHUN {year}\n".encode()
    service.get_store().add_plan(unit, year, title + body, "rencana.csv", "uji")
    service.forget()


def test_units_years_and_work_plans_of_many_units(temp_db, monkeypatch):
    clear_all()
    monkeypatch.delenv("ZI_UNITS", raising=False)
    home = service.home()
    assert service.units() == [home.unit] and service.years_of(home.unit) == [2025]
    _add("KPU Kabupaten Garut", 2026)
    _add("KPU Kabupaten Garut", 2025)
    _add("KPU KOTA BANDUNG", 2025)
    assert service.units() == ["KPU KOTA BANDUNG", "KPU Kabupaten Garut", "KPU Kota Tasikmalaya"]  # as sorted
    assert service.years_of("kabupaten-garut") == service.years_of("KPU  kabupaten GARUT") == [2025, 2026]
    assert service.years_of("KPU Kabupaten Ciamis") == []
    assert service.workplan_of("kabupaten-garut", None).year == 2026
    assert service.workplan_of("Kabupaten Garut", "2025").year == 2025
    assert service.workplan_of("kota-bandung", 2026) is None
    assert service.workplan_of(None, None) == home
    # the unit list comes first, in its order; a unit it names is listed once, as it spells it
    monkeypatch.setenv("ZI_UNITS", "KPU Kota Bandung|KPU Kabupaten Ciamis")
    assert service.units() == [
        "KPU Kota Bandung",
        "KPU Kabupaten Ciamis",
        "KPU Kabupaten Garut",
        "KPU Kota Tasikmalaya",
    ]
    assert service.known_unit("kota-bandung") == "KPU Kota Bandung"
    # a plan added (by this process) is seen at once
    _add("KPU Kabupaten Ciamis", 2027)
    assert service.years_of("kabupaten-ciamis") == [2027]
    assert service.workplan_of("kabupaten-ciamis", None).year == 2027
    # many units: every unit's years at once, as the sidebar asks them
    for k in range(60):
        _add(f"KPU Kabupaten Uji {k:02d}", 2025 + k % 2)
    assert len(service.units()) == 2 + 2 + 60 and all(len(service.years_of(u)) == 1 for u in service.units()[4:])
    clear_all()
