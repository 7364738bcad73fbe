"""The outbox: messages to agencies that must not be lost, delivered in the background.

Revision ID: outbox_0001
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "outbox_0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the outbox table."""
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("next_attempt_at", stamp, nullable=False),
        sa.Column("locked_until", stamp, nullable=True),
        sa.Column("finished_at", stamp, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("answer", sa.JSON, nullable=True),
        sa.UniqueConstraint("kind", "idempotency_key", name="uq_outbox_kind_key"),
    )
    op.create_index("ix_outbox_state_next_attempt", "outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    """Drop the outbox table."""
    op.drop_index("ix_outbox_state_next_attempt", "outbox")
    op.drop_table("outbox")
