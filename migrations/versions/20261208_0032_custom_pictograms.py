"""custom pictograms

Pictograms uploaded by organisations (filled by the pictograms work).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-08 02:15:00
"""

from collections.abc import Sequence

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
