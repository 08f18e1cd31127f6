"""Schema version 7: work plans (a unit's plan for a year).  What a store holds already becomes the
bundled unit's work plan for the bundled year, every stored plan a version of it in the order
stored; each stored plan is kept read as JSON too.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from datetime import UTC, datetime

    from zi_dashboard import labels as L
    from zi_dashboard.reading.plan import BUNDLED_UNIT, BUNDLED_YEAR, plan_from_bytes, plan_to_json

    op.create_table(
        "zi_workplans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit", sa.String(160), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("unit", "year", name="uq_zi_workplans_unit_year"),
    )
    op.create_table(
        "zi_workplan_plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workplan_id", sa.Integer, sa.ForeignKey("zi_workplans.id"), nullable=False),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("zi_plans.id"), nullable=False),
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_zi_workplan_plans_workplan", "workplan_id", "id"),
    )
    for table in ("zi_snapshots", "zi_events", "zi_assessments"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN workplan_id INTEGER REFERENCES zi_workplans(id)")
        op.create_index(f"ix_{table}_workplan", table, ["workplan_id", "id"])
    op.add_column("zi_plans", sa.Column("parsed", sa.Text, nullable=True))  # the plan as read (plan_to_json)

    conn = op.get_bind()
    plans = sa.table(
        "zi_plans", *[sa.column(c) for c in ("id", "content", "filename", "uploaded_by", "uploaded_at", "parsed")]
    )
    workplans = sa.table("zi_workplans", *[sa.column(c) for c in ("id", "unit", "year", "created_by", "created_at")])
    workplan_plans = sa.table("zi_workplan_plans", *[sa.column(c) for c in ("workplan_id", "plan_id", "by", "at")])
    owned = [sa.table(t, sa.column("id"), sa.column("workplan_id")) for t in ("zi_snapshots", "zi_events")]
    owned.append(sa.table("zi_assessments", sa.column("id"), sa.column("workplan_id")))
    stored = conn.execute(sa.select(plans).order_by(plans.c.id)).all()
    for r in stored:
        parsed = plan_to_json(plan_from_bytes(bytes(r.content), r.filename))
        conn.execute(sa.update(plans).where(plans.c.id == r.id).values(parsed=parsed))
    if not stored and not any(conn.execute(sa.select(t.c.id).limit(1)).first() for t in owned):
        return  # an empty store: its first work plan is made on first use
    wid = conn.execute(
        sa.insert(workplans)
        .values(unit=BUNDLED_UNIT, year=BUNDLED_YEAR, created_by=L.STORAGE["system_user"], created_at=datetime.now(UTC))
        .returning(workplans.c.id)
    ).scalar_one()
    if stored:
        conn.execute(
            sa.insert(workplan_plans),
            [{"workplan_id": wid, "plan_id": r.id, "by": r.uploaded_by, "at": r.uploaded_at} for r in stored],
        )
    for owner in owned:
        conn.execute(sa.update(owner).values(workplan_id=wid))


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
