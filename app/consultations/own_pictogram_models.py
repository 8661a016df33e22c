"""The pictures an organisation uploaded for its possible answers (app/consultations/own_pictograms.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class OwnPictogram(Base):
    """A picture of one organisation: always a PNG we drew again ourselves, stored under
    UPLOAD_ROOT/pictograms/ with a random name. Its choice name is "own-<id>"."""

    __tablename__ = "consultation_own_pictograms"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The word it is found by, and the words read in its place, both given by the uploader.
    title: Mapped[str] = mapped_column(String(60))
    alt: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str] = mapped_column(String(80))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def name(self) -> str:
        return f"own-{self.id}"
