"""Ratings: each accepted rating of a service point (delivered through the outbox).

Revision ID: ratings_0001
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ratings_0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the rating table."""
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "ratings",
        sa.Column("rating_id", sa.String(36), primary_key=True),
        sa.Column("idempotency_key", sa.String(100), nullable=False, unique=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("point_id", sa.String(36), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("received_at", stamp, nullable=False),
        sa.Column("delivered_at", stamp, nullable=True),
        sa.Column("agency_rating_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_index("ix_ratings_point_status", "ratings", ["point_id", "status"])


def downgrade() -> None:
    """Drop the rating table."""
    op.drop_index("ix_ratings_point_status", "ratings")
    op.drop_table("ratings")
