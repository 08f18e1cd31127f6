"""The store's work plans (a unit's plan for a year) and the plan files they use, versioned:
a plan file is stored once per content, a work plan's newest plan version is in use."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import insert, select

from zi_dashboard import labels as L
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import (
    BUNDLED_PLAN,
    BUNDLED_UNIT,
    BUNDLED_YEAR,
    Plan,
    plan_from_bytes,
    plan_from_json,
    plan_to_json,
)
from zi_dashboard.storage.base import StoreBase
from zi_dashboard.storage.engine import clean_filename, utc
from zi_dashboard.storage.records import StoredPlan, Workplan
from zi_dashboard.storage.schema import plans, workplan_plans, workplans

PLANS_KEPT = 2048  # read plans kept (a plan of 25 rows is ~30 KB read)
_TOKENS = itertools.count()


@cached(PLANS_KEPT, key=lambda token, plan_id, read: (token, plan_id), max_bytes=64 * 1024 * 1024)
def _stored_plan(token: int, plan_id: int, read: Callable[[int], Plan]) -> Plan:
    """A stored plan as read (`read`: from its store): a stored plan never changes, so it is
    kept by store object and id."""
    return read(plan_id)


class PlanStore(StoreBase):
    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        self.token = next(_TOKENS)  # names this store object's plans in the cache (an id() is reused)

    def workplans(self) -> list[Workplan]:
        """Every work plan (unit, year), by unit and year; the bundled one is made on first use."""
        with self.engine.connect() as conn:
            rs = conn.execute(select(workplans.c.id, workplans.c.unit, workplans.c.year)).all()
        if not rs:
            return [self.home()]
        return sorted(Workplan(r.unit, r.year, r.id) for r in rs)

    def home(self) -> Workplan:
        """The work plan a store starts with: the oldest one; on an empty store, the bundled plan
        is stored as BUNDLED_UNIT's plan for BUNDLED_YEAR."""
        with self.engine.connect() as conn:
            r = conn.execute(
                select(workplans.c.id, workplans.c.unit, workplans.c.year).order_by(workplans.c.id).limit(1)
            ).first()
        if r is not None:
            return Workplan(r.unit, r.year, r.id)
        return self.add_plan(
            BUNDLED_UNIT, BUNDLED_YEAR, BUNDLED_PLAN.read_bytes(), BUNDLED_PLAN.name, L.STORAGE["system_user"]
        )[0]

    def workplan(self, workplan_id: int) -> Workplan:
        with self.engine.connect() as conn:
            r = conn.execute(select(workplans).where(workplans.c.id == workplan_id)).one()
        return Workplan(r.unit, r.year, r.id)

    def add_plan(
        self, unit: str, year: int, content: bytes, filename: str, by: str, plan: Plan | None = None
    ) -> tuple[Workplan, StoredPlan]:
        """Make `content` (a plan file already read and validated) the plan of `unit` for
        `year`: a new work plan, or a new version of its plan (the older ones stay stored).
        Another unit's or year's data is not touched.  `plan`: the file as read (else read here)."""
        sha = hashlib.sha256(content).hexdigest()
        filename = clean_filename(filename)
        parsed = plan_to_json(plan if plan is not None else plan_from_bytes(content, filename))
        with self._write() as conn:
            now = datetime.now(UTC)  # under the write lock: times follow the order of ids
            found = conn.execute(
                select(workplans.c.id).where(workplans.c.unit == unit[:160], workplans.c.year == int(year))
            ).first()
            wid = (
                found.id
                if found
                else conn.execute(
                    insert(workplans)
                    .values(unit=unit[:160], year=int(year), created_by=by[:120], created_at=now)
                    .returning(workplans.c.id)
                ).scalar_one()
            )
            stored = conn.execute(select(plans.c.id).where(plans.c.sha256 == sha)).first()
            pid = (
                stored.id
                if stored
                else conn.execute(
                    insert(plans)
                    .values(
                        filename=filename[:255],
                        sha256=sha,
                        content=content,
                        uploaded_by=by[:120],
                        uploaded_at=now,
                        parsed=parsed,
                    )
                    .returning(plans.c.id)
                ).scalar_one()
            )
            newest = conn.execute(
                select(workplan_plans.c.plan_id)
                .where(workplan_plans.c.workplan_id == wid)
                .order_by(workplan_plans.c.id.desc())
                .limit(1)
            ).first()
            if newest is None or newest.plan_id != pid:
                conn.execute(insert(workplan_plans).values(workplan_id=wid, plan_id=pid, by=by[:120], at=now))
        return Workplan(unit[:160], int(year), wid), self.plan(pid)

    def save_plan(self, content: bytes, filename: str, uploaded_by: str, workplan_id: int | None = None) -> StoredPlan:
        """A new version of a work plan's plan (by default the home work plan's)."""
        wp = self.workplan(workplan_id) if workplan_id is not None else self.home()
        return self.add_plan(wp.unit, wp.year, content, filename, uploaded_by)[1]

    def plan(self, plan_id: int) -> StoredPlan:
        with self.engine.connect() as conn:
            r = conn.execute(select(plans).where(plans.c.id == plan_id)).one()
        return StoredPlan(r.id, r.filename, r.sha256, bytes(r.content), r.uploaded_by, utc(r.uploaded_at))

    def plan_id_of(self, workplan_id: int) -> int:
        """The id of the plan in use for a work plan (its newest version)."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(workplan_plans.c.plan_id)
                .where(workplan_plans.c.workplan_id == workplan_id)
                .order_by(workplan_plans.c.id.desc())
                .limit(1)
            ).scalar_one()

    def latest_plan(self, workplan_id: int | None = None) -> StoredPlan:
        """The plan in use for a work plan (by default the home work plan)."""
        return self.plan(self.plan_id_of(workplan_id if workplan_id is not None else self.home().id))

    def parsed_plans(self, plan_ids: list[int]) -> dict[int, Plan]:
        """Many stored plans at once, as read: each read once per store object (the package's
        cache), those not read yet in one query."""
        wanted = list(dict.fromkeys(plan_ids))
        batch: dict[int, Plan] = {}
        shared_rows: dict[str, pd.DataFrame] = {}  # plans of one template read together share their rows

        def read(plan_id: int) -> Plan:  # the cache's miss: this plan and every wanted one after it
            if plan_id not in batch:
                rest = wanted[wanted.index(plan_id) :]
                with self.engine.connect() as conn:
                    rs = conn.execute(
                        select(plans.c.id, plans.c.parsed, plans.c.content, plans.c.filename).where(
                            plans.c.id.in_(rest)
                        )
                    ).all()
                for r in rs:
                    batch[r.id] = (
                        plan_from_json(r.parsed, shared_rows)
                        if r.parsed
                        else plan_from_bytes(bytes(r.content), r.filename)
                    )
            return batch[plan_id]

        return {i: _stored_plan(self.token, i, read) for i in plan_ids}

    def parsed_plan(self, plan_id: int) -> Plan:
        """A stored plan, as read."""
        return self.parsed_plans([plan_id])[plan_id]
