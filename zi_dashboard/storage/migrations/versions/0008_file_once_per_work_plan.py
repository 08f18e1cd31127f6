"""Schema version 8: the same file may be an upload of several work plans (units, years), once in
each: the uploads' unique (sha256) becomes unique (workplan_id, sha256).  SQLite cannot drop a
constraint: the table is made again, its rows copied, within this one transaction (its foreign
keys checked at commit: every upload's rows, events and figures still have it).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SNAPSHOT_COLUMNS: list[sa.Column[Any]] = [
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("zi_plans.id"), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_by", sa.String(120), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("position_date", sa.Date, nullable=True),
    sa.Column("workplan_id", sa.Integer, sa.ForeignKey("zi_workplans.id"), nullable=True),
]


def upgrade() -> None:
    conn = op.get_bind()
    uniques = sa.inspect(conn).get_unique_constraints("zi_snapshots")
    old = next((u["name"] for u in uniques if u["column_names"] == ["sha256"]), None)
    if conn.dialect.name != "sqlite":
        if old is not None:
            op.drop_constraint(old, "zi_snapshots", type_="unique")
        op.create_unique_constraint("uq_zi_snapshots_workplan_sha256", "zi_snapshots", ["workplan_id", "sha256"])
        return
    columns = ", ".join(c.name for c in SNAPSHOT_COLUMNS)
    op.execute("PRAGMA defer_foreign_keys = ON")  # until commit; reset by it
    op.execute(f"CREATE TEMP TABLE zi_snapshots_copy AS SELECT {columns} FROM zi_snapshots")
    op.drop_table("zi_snapshots")
    op.create_table(
        "zi_snapshots",
        *SNAPSHOT_COLUMNS,
        sa.UniqueConstraint("workplan_id", "sha256", name="uq_zi_snapshots_workplan_sha256"),
    )
    op.execute(f"INSERT INTO zi_snapshots ({columns}) SELECT {columns} FROM zi_snapshots_copy ORDER BY id")
    op.execute("DROP TABLE zi_snapshots_copy")
    op.create_index("ix_zi_snapshots_workplan", "zi_snapshots", ["workplan_id", "id"])


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
