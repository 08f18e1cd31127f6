"""Units and years: the work plans the store holds, the unit list, and how a unit or year
written in an address, a form or a file title names one of them."""

from __future__ import annotations

from zi_dashboard import labels as L
from zi_dashboard.app.service.store_access import get_store, store_says
from zi_dashboard.reading import units as units_reading
from zi_dashboard.reading.caching import SameObject, cached
from zi_dashboard.reading.limits import too_long
from zi_dashboard.reading.plan import BUNDLED_UNIT, BUNDLED_YEAR
from zi_dashboard.storage import auth
from zi_dashboard.storage.records import Workplan

MIN_YEAR, MAX_YEAR = 2020, 2100  # the years a work plan may be for


def workplans() -> list[Workplan]:
    """Every work plan (unit, year), by unit and year (asked of the store twice a second)."""
    return store_says(get_store().url, "workplans")


def home() -> Workplan:
    """The work plan a store starts with (the bundled unit and year on a new store)."""
    return store_says(get_store().url, "home")


def unit_line(wp: Workplan | None) -> str:
    """'KPU Kota Tasikmalaya Tahun 2025': whose data, as titles and files name it."""
    wp = wp or home()
    return L.UNITS["unit_year"].format(unit=wp.unit, year=wp.year)


def units() -> list[str]:
    """The units: those configured (the unit list) and those with a work plan, configured first."""
    seen = dict.fromkeys(auth.configured_units())
    keys = {unit_key(u) for u in seen}
    for key, name in _unit_index()[1].items():
        if key not in keys:
            seen[name] = None
            keys.add(key)
    return list(seen)


def years_of(unit: str) -> list[int]:
    """The years with a work plan of this unit, oldest first."""
    return sorted(wp.year for wp in _unit_index()[0].get(unit_key(unit), ()))


def years() -> list[int]:
    return sorted({wp.year for wp in workplans()})


def unit_key(text: str) -> str:
    """What two spellings of one unit share: 'KPU Kota Tasikmalaya', 'kpu  kota tasikmalaya',
    'kota-tasikmalaya' (the URL's form) give the same key."""
    return _slug(str(text or ""))


@cached(maxsize=8192)
def _slug(text: str) -> str:
    return units_reading.unit_slug(text)


def _unit_index() -> tuple[dict[str, list[Workplan]], dict[str, str]]:
    """The work plans by unit key and the units with a work plan (each key's first spelling),
    made once per answer of the store: the sidebar asks years_of for every unit, and with
    hundreds of units going through every work plan each time took seconds."""
    return _index_of(SameObject(workplans()))


@cached(maxsize=1, count_only="the work plans are the store's answer, held and counted where it is cached")
def _index_of(answer: SameObject) -> tuple[dict[str, list[Workplan]], dict[str, str]]:
    by_key: dict[str, list[Workplan]] = {}
    names: dict[str, str] = {}
    for wp in answer.obj:
        key = unit_key(wp.unit)
        by_key.setdefault(key, []).append(wp)
        names.setdefault(key, wp.unit)
    return by_key, names


def known_unit(text: str) -> str | None:
    """The unit (as the store or the unit list names it) that `text` names, if any."""
    key = unit_key(text)
    return next((u for u in units() if unit_key(u) == key), None) if key else None


def address_int(text: object, digits: int) -> int | None:
    """A whole number as a link or a form sends it: 1 to `digits` ASCII digits and nothing else
    (no sign, space, '²', full-width digits or 5,000 digits); None for anything else."""
    if isinstance(text, str) and 0 < len(text) <= digits and text.isascii() and text.isdigit():
        return int(text)
    return None


def year_of(text: object) -> int | None:
    """A year as the address (?tahun=) sends it: four digits within MIN_YEAR..MAX_YEAR; else None."""
    year = text if isinstance(text, int) and not isinstance(text, bool) else address_int(text, 4)
    return year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None


def workplan_of(unit: str | None, year: int | str | None) -> Workplan | None:
    """The work plan of a unit (name or URL form) and year; without a year, the unit's latest;
    without a unit, the home unit's.  None when there is no such work plan (and for a text no
    unit or year can be: longer than limits.MAX_TEXT_CHARS, refused before any work)."""
    if too_long(unit, year):
        return None
    key = unit_key(unit) if unit else unit_key(home().unit)
    mine = list(_unit_index()[0].get(key, ()))
    if year not in (None, ""):
        wanted = year_of(year)
        if wanted is None:
            return None
        mine = [wp for wp in mine if wp.year == wanted]
        if not mine and not unit:  # a year alone (the province page's address): any unit's plan of it
            mine = [wp for wp in workplans() if wp.year == wanted][:1]
    return max(mine, key=lambda wp: wp.year) if mine else None


def shown_workplan(unit: str | None = None) -> Workplan | None:
    """The year a unit is shown at when none is named (pages, the CLI's reading commands): its
    latest year that has data, else its latest (after next year's plan is added, this year's
    figures are shown until the new plan has an upload).  Without a unit, the home unit's."""
    latest = workplan_of(unit, None)
    if latest is None or has_data(latest):
        return latest
    key = unit_key(unit) if unit else unit_key(home().unit)
    with_data = [wp for wp in _unit_index()[0].get(key, ()) if has_data(wp)]
    return max(with_data, key=lambda wp: wp.year) if with_data else latest


def has_data(wp: Workplan) -> bool:
    """Whether a work plan has anything to show: an upload, or the example data standing in."""
    return shows_example(wp) or store_says(get_store().url, "current_id", wp.id) is not None


def shows_example(wp: Workplan) -> bool:
    """The bundled example data stands in for the bundled unit's bundled year until its first upload."""
    return (wp.unit, wp.year) == (BUNDLED_UNIT, BUNDLED_YEAR)
