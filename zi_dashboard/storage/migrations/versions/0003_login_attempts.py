"""Schema version 3: wrong logins per editor name and per client address.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zi_login_attempts",
        sa.Column("key", sa.String(200), primary_key=True),  # "editor:<name>@<address>" | "ip:<address>"
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.Float, nullable=False),  # seconds since the epoch (0: not locked)
        sa.Column("updated_at", sa.Float, nullable=False),  # seconds since the epoch, last wrong try
    )


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
