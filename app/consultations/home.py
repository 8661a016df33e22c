"""What consultations puts in the home page's "For you now": the open rounds the person is
invited to answer, and the rounds whose feedback is published."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.consultations.models import ConsultationRound, RoundStatus
from app.consultations.services import rounds_for_participant


@dataclass
class RoundNews:
    open: list[ConsultationRound] = field(default_factory=list)
    feedback: list[ConsultationRound] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.open or self.feedback)


def round_news(actor: Any) -> RoundNews:
    news = RoundNews()
    for round_ in rounds_for_participant(actor):
        if round_.status == RoundStatus.OPEN:
            news.open.append(round_)
        elif round_.status == RoundStatus.FEEDBACK_PUBLISHED:
            news.feedback.append(round_)
    return news
