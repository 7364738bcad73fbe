"""The audit trail: one append-only record per request, each chained to the one before by hash.

Revision ID: audit_0001
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "audit_0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the audit table."""
    op.create_table(
        "audit_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chain", sa.String(80), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=False),
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("operation_name", sa.String(200), nullable=True),
        sa.Column("operation_hash", sa.String(64), nullable=True),
        sa.Column("root_fields", sa.Text, nullable=False),
        sa.Column("area_codes", sa.Text, nullable=False),
        sa.Column("connectors", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("duration_us", sa.Integer, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("chain", "seq", name="uq_audit_chain_seq"),
    )


def downgrade() -> None:
    """Drop the audit table."""
    op.drop_table("audit_records")
