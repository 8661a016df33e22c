"""easy read credits

Easy-read documents: proofreaders named with their agreement. No schema change: the agreement
already exists (falc_proofreaders.show_name, asked in one checkbox when a proofreader is
registered, with the consent recorded); the printed documents read it (printing.proofreaders).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-08 02:15:00
"""

from collections.abc import Sequence

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
