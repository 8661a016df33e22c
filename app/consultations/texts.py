"""Every text of a round that participants will read, with where a facilitator corrects it.

The easy-read check before a step (app/falc/services.py `publication_check`) reads these: what
people receive, not only the easy-to-read fields. A text with an easy-to-read version carries
both; the page, the PDF and the audio use the full text when the easy one is empty."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _

from app.consultations.models import FeedbackStatus

ROUND = "round"  # the round's texts and questions, read once it is announced
FEEDBACK = "feedback"  # the "You said / We did" items, read once the feedback is published


@dataclass(frozen=True)
class ParticipantText:
    key: str
    label: str
    text: str  # the full text (or the only one)
    easy: str | None  # its easy-to-read version; None: the text has none
    endpoint: str  # the page where it is corrected, and the field's id there
    args: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""


def _round_texts(round_: Any) -> list[ParticipantText]:
    edit = {"endpoint": "consultations.edit", "args": {"round_id": round_.id}}
    texts = [
        ParticipantText("title", _("Title"), round_.title, round_.title_easy, **edit),
        ParticipantText(
            "subject", _("What is it about?"), round_.subject, round_.subject_easy, **edit
        ),
        ParticipantText("why", _("Why your opinion matters"), round_.why, round_.why_easy, **edit),
        ParticipantText(
            "what_next",
            _("What will be done with the answers"),
            round_.what_next,
            round_.what_next_easy,
            **edit,
        ),
        ParticipantText(
            "costs_covered",
            _("Costs paid for people who take part"),
            round_.costs_covered,
            None,
            **edit,
        ),
        ParticipantText(
            "contact_name", _("Who to ask for help"), round_.contact_name, None, **edit
        ),
    ]
    # The edit page's field to correct: the easy-to-read one when there is one.
    texts = [replace(t, anchor=t.key if t.easy is None else f"{t.key}_easy") for t in texts]
    for question in round_.questions:
        place = {
            "endpoint": "consultations.edit_question",
            "args": {"round_id": round_.id, "question_id": question.id},
        }
        texts.append(
            ParticipantText(
                f"question_{question.id}",
                _("Question %(n)s", n=question.position),
                question.text,
                question.text_easy,
                anchor="text_easy",
                **place,
            )
        )
        texts += [
            ParticipantText(
                f"choice_{choice.id}",
                _("Question %(n)s, choice %(m)s", n=question.position, m=choice.position),
                choice.label,
                None,
                anchor="choices",
                **place,
            )
            for choice in question.choices
        ]
    return texts


def _feedback_texts(round_: Any) -> list[ParticipantText]:
    texts = []
    for item in round_.feedback_items:
        n = item.position
        place = {
            "endpoint": "consultations.edit_feedback",
            "args": {"round_id": round_.id, "position": n},
        }
        rows = [
            ("theme", _("Point %(n)s, theme", n=n), item.theme, None),
            ("you_said", _("Point %(n)s, you said", n=n), item.you_said, item.you_said_easy),
            ("we_did", _("Point %(n)s, we did", n=n), item.we_did, item.we_did_easy),
            ("who", _("Point %(n)s, who acts", n=n), item.who, None),
            ("when", _("Point %(n)s, when", n=n), item.when, None),
        ]
        if item.status == FeedbackStatus.NOT_KEPT:
            rows.append(("reason", _("Point %(n)s, why it is not kept", n=n), item.reason, None))
        texts += [
            ParticipantText(
                f"item_{item.id}_{name}",
                label,
                text,
                easy,
                anchor=f"{name}_easy" if easy is not None else name,
                **place,
            )
            for name, label, text, easy in rows
        ]
    return texts


def participant_texts(round_: Any, which: str) -> list[ParticipantText]:
    """The texts participants will read once the step is taken: the round's texts, costs,
    contact, questions and their choices ("round"), or the feedback items ("feedback")."""
    return _round_texts(round_) if which == ROUND else _feedback_texts(round_)


def as_check_input(texts: list[ParticipantText]) -> dict[str, tuple[str, str, str | None]]:
    """The mapping `publication_check` reads: key -> (label, text, easy version)."""
    return {t.key: (t.label, t.text, t.easy) for t in texts}


def feedback_form_texts(values: dict[str, str]) -> list[ParticipantText]:
    """The texts of one feedback item, or of its news, as typed in its form (field name ->
    text), for the check on that form: the links go to the fields of the same page."""
    rows = [
        ("theme", _("Theme"), None),
        ("you_said", _("You said"), "you_said_easy"),
        ("we_did", _("We did, or we will do"), "we_did_easy"),
        ("who", _("Who acts"), None),
        ("when", _("When"), None),
        ("text", _("The news"), "text_easy"),
        ("reason", _("Why it is not kept"), None),
    ]
    return [
        ParticipantText(
            name,
            label,
            values.get(name) or "",
            (values.get(easy) or "") if easy else None,
            endpoint="",
            anchor=easy or name,
        )
        for name, label, easy in rows
        if name in values
    ]
