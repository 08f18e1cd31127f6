"""The store's work plans (a unit's plan for a year) and the plan files they use, versioned:
a plan file is stored once per content, a work plan's newest plan version is in use."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import insert, select

from zi_dashboard import labels as L
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

PLANS_KEPT = 2048  # read plans a store object keeps (a plan of 25 rows is ~30 KB read)


class PlanStore(StoreBase):
    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        # a stored plan never changes: each is read once per store object (a few at most)
        self._plans_read: dict[int, Plan] = {}
        self._rows_read: dict[str, pd.DataFrame] = {}  # plan rows by their JSON: plans of one template share them
        self._plans_lock = threading.Lock()

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
        """Many stored plans at once (one query for those not read yet in this process)."""
        with self._plans_lock:
            return self._parsed_plans(plan_ids)

    def _parsed_plans(self, plan_ids: list[int]) -> dict[int, Plan]:
        missing = [i for i in dict.fromkeys(plan_ids) if i not in self._plans_read]
        if missing:
            with self.engine.connect() as conn:
                rs = conn.execute(
                    select(plans.c.id, plans.c.parsed, plans.c.content, plans.c.filename).where(plans.c.id.in_(missing))
                ).all()
            for r in rs:
                self._plans_read[r.id] = (
                    plan_from_json(r.parsed, self._rows_read)
                    if r.parsed
                    else plan_from_bytes(bytes(r.content), r.filename)
                )
            while len(self._plans_read) > PLANS_KEPT:
                self._plans_read.pop(next(iter(self._plans_read)))
            while len(self._rows_read) > PLANS_KEPT:
                self._rows_read.pop(next(iter(self._rows_read)))
        return {i: self._plans_read[i] for i in plan_ids}

    def parsed_plan(self, plan_id: int) -> Plan:
        """A stored plan, as read."""
        return self.parsed_plans([plan_id])[plan_id]
