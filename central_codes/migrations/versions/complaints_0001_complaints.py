"""Complaints: each accepted complaint and its history (delivered through the outbox).

Revision ID: complaints_0001
Revises: outbox_0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "complaints_0001"
down_revision = "outbox_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the complaint and complaint-event tables."""
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "complaints",
        sa.Column("tracking_number", sa.String(32), primary_key=True),
        sa.Column("idempotency_key", sa.String(100), nullable=False, unique=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("area_code", sa.String(6), nullable=False),
        sa.Column("centre_code", sa.String(2), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("contact_phone", sa.String(20), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("agency_tracking_number", sa.String(40), nullable=True),
        sa.Column("created_at", stamp, nullable=False),
    )
    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "tracking_number",
            sa.String(32),
            sa.ForeignKey("complaints.tracking_number"),
            nullable=False,
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("at", stamp, nullable=False),
    )
    op.create_index("ix_complaint_events_tracking_number", "complaint_events", ["tracking_number"])


def downgrade() -> None:
    """Drop the complaint tables."""
    op.drop_index("ix_complaint_events_tracking_number", "complaint_events")
    op.drop_table("complaint_events")
    op.drop_table("complaints")
