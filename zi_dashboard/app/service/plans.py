"""Work plans' plans: the fill-in template of a plan, reading a plan file an editor gives, and
adding it as a new work plan or a new version of one's plan."""

from __future__ import annotations

from zi_dashboard import labels as L
from zi_dashboard.app.service.data import plan_in_use
from zi_dashboard.app.service.editors import OPERATOR, NotAllowed, may_add_plan
from zi_dashboard.app.service.store_access import forget, get_store
from zi_dashboard.app.service.workplans import MAX_YEAR, MIN_YEAR, home, known_unit, unit_line
from zi_dashboard.outputs.exports import file_owner
from zi_dashboard.outputs.template import build_template
from zi_dashboard.reading import sandbox
from zi_dashboard.reading import units as units_reading
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import Plan
from zi_dashboard.storage import auth
from zi_dashboard.storage.records import StoredPlan, Workplan


@cached(maxsize=16)
def _template(plan: Plan, title: str) -> bytes:
    return build_template(plan, title)


def template_name(wp: Workplan | None = None) -> str:
    """The template's file name, with the unit and year (two units' templates never collide)."""
    return f"templat-progres-zi-{file_owner(unit_line(wp))}.xlsx"


def template_bytes(wp: Workplan | None = None) -> bytes:
    """The fill-in template of a work plan's plan in use, titled with its unit and year."""
    wp = wp or home()
    return _template(plan_in_use(wp)[0], unit_line(wp))


def read_plan_file(content: bytes, filename: str) -> Plan:
    """A plan file an editor gives, read in a child process.  Raises UnreadableFile or
    PlanError (with every problem); nothing is stored."""
    return sandbox.read_plan(content, filename)


def plan_unit_year(plan: Plan) -> tuple[str | None, int | None]:
    """The unit and year a plan file's title states ("… KPU KOTA TASIKMALAYA TAHUN 2025"); the
    unit as the unit list or the store already names it."""
    unit, year = units_reading.unit_year_from_lines([plan.title])
    if unit:
        unit = known_unit(unit) or unit
    return unit, year


def add_plan(content: bytes, filename: str, by: str, unit: str, year: int, rights=None) -> tuple[Workplan, StoredPlan]:
    """Store a plan file as the plan of `unit` for `year`: a new work plan (a new unit, or the
    next year), or a new version of that work plan's plan.  Other units' and years' data are not
    touched.  Raises UnreadableFile / PlanError (the file), ValueError (unit or year), NotAllowed."""
    plan = read_plan_file(content, filename)  # never store what does not read
    unit = " ".join(str(unit or "").split())
    if not unit:
        raise ValueError(L.UNITS["unit_missing"])
    listed = auth.configured_units()
    if listed and not known_unit(unit):
        raise ValueError(L.UNITS["unit_not_listed"].format(unit=unit))
    unit = known_unit(unit) or unit
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(L.UNITS["year_invalid"].format(year=year, lo=MIN_YEAR, hi=MAX_YEAR))
    if rights is not OPERATOR and not may_add_plan(by, unit):
        raise NotAllowed(L.UNITS["not_your_unit"].format(name=by, unit=unit))
    wp, stored = get_store().add_plan(unit, year, content, filename, by, plan)
    forget()
    return wp, stored
