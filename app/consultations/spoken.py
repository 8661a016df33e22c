"""What the audio player reads of a round, a question with its choices, or the published
feedback: the texts people see on the page, in the content's language (rounds are written in
French: they have no language of their own), whatever the interface's language. The sentences
the application adds around them are put in that language too, so one voice reads it all.

Initials are read as the words they stand for when the lexicon, the default glossary or the
organisation's glossary explains them (the organisation's words first); others are spelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from app.consultations import printing
from app.consultations.models import (
    SCALE_LABELS,
    ConsultationRound,
    FeedbackItem,
    Question,
    QuestionKind,
)
from app.core import audio
from app.falc import services as falc_services
from app.falc.glossary import DEFAULT_GLOSSARY

_INITIALS = re.compile(r"^[A-ZÀ-Ý]{2,8}$")


def content_language(round_: ConsultationRound) -> str:
    """The language the round's texts are written in (French unless it says otherwise)."""
    return str(getattr(round_, "language", None) or "fr")


def _lexicon_initials() -> dict[str, str]:
    try:
        from app.falc import lexicon

        found = lexicon.initials()
    except (ImportError, OSError):  # no lexicon data: the glossaries still apply
        return {}
    return {term: entry.replacements[0] for term, entry in found.items() if entry.replacements}


def expansions(organisation_id: int | None) -> dict[str, str]:
    """Initials → the words said instead: the lexicon's plain words over the default glossary's
    explanations, the organisation's glossary over both."""
    merged = DEFAULT_GLOSSARY | _lexicon_initials() | falc_services.glossary_of(organisation_id)
    return {term: words for term, words in merged.items() if _INITIALS.match(term) and words}


def _said(round_: ConsultationRound, build: Any) -> Path | None:
    language = content_language(round_)
    with force_locale(language):
        text = build()
    return audio.spoken(text, language, expansions(round_.organisation_id))


def _choice_words(question: Question) -> list[str]:
    if question.kind is QuestionKind.SCALE:
        return [str(words) for words in SCALE_LABELS.values()]
    return [choice.label for choice in question.choices]


def question_text(question: Question) -> str:
    """The question as its page shows it, with its choices, in the current locale."""
    lines = [question.easy()]
    choices = _choice_words(question)
    if choices:
        lines.append(_("The possible answers:"))
        lines.extend(choices)
    return "\n".join(lines)


def feedback_text(items: Iterable[FeedbackItem]) -> str:
    """The "You said / We did" of each point, the easy-to-read words first."""
    lines: list[str] = []
    for item in items:
        if item.theme:
            lines.append(item.theme)
        elif item.question is not None:
            lines.append(item.question.easy())
        lines.append(item.status.label)
        lines.append(_("You said:") + " " + (item.you_said_easy or item.you_said))
        lines.append(_("We did, or we will do:") + " " + (item.we_did_easy or item.we_did))
    return "\n".join(lines)


def round_audio(round_: ConsultationRound) -> Path | None:
    return _said(round_, lambda: printing.easy_text(round_))


def question_audio(round_: ConsultationRound, question: Question) -> Path | None:
    return _said(round_, lambda: question_text(question))


def feedback_audio(round_: ConsultationRound, items: list[FeedbackItem]) -> Path | None:
    return _said(round_, lambda: feedback_text(items))
