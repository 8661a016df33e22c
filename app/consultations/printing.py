"""Printable PDFs of a round: the paper questionnaire (one question per page, large
print, the paper code and a QR code to answer online), the round in easy-read, and the summary
of results + feedback. Tagged PDFs from the templates of templates/print/ (app/core/html_pdf.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.consultations import conditions, disclosure, lifecycle, pictograms
from app.consultations.kinds import kind_of
from app.consultations.lifecycle import Allow
from app.consultations.models import ConsultationRound
from app.consultations.services import QuestionResult, RoundResults
from app.core import html_pdf
from app.core.html_pdf import bare_url, qr_data_url, render_pdf
from app.core.urls import external_url
from app.falc import proofreading

SUBJECT_TYPE = "consultation_round"  # as the proofreadings of a round are filed (views.py)
TYPED_ADDRESS = 40  # the questionnaire's web address is printed when this short, for typing


def _date(value) -> str:  # noqa: ANN001
    from flask_babel import format_date

    return format_date(value, "d MMMM yyyy")


@dataclass
class Block:
    """One part of a question's answer zone on paper: a sentence, boxes to tick, lines."""

    kind: str  # "para" | "choices" | "lines"
    text: str = ""
    bold: bool = False
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # label, picture, alt
    count: int = 0


class AnswerSheet:
    """What a question kind draws under its question (`QuestionType.print_question`), kept
    as blocks for the template print/questionnaire.html; the boxes to tick that follow each
    other make one list."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def para(self, text: str, size: int = 18, bold: bool = False) -> None:
        self.blocks.append(Block("para", text=text, bold=bold))

    def heading(self, text: str, size: int = 22) -> None:
        self.para(text, size, bold=True)

    def checkbox(
        self, label: str, size: int = 18, picture: Path | None = None, alt: str | None = None
    ) -> None:
        if not self.blocks or self.blocks[-1].kind != "choices":
            self.blocks.append(Block("choices"))
        src, text = "", ""
        if picture is not None and picture.is_file():
            # Our pictures are static files; an organisation's own (stored with the uploads,
            # where the PDF maker does not read) goes in as data.
            src = (
                picture.resolve().as_uri()
                if picture.resolve().is_relative_to(html_pdf.STATIC.resolve())
                else _data_url(picture)
            )
            # The words the facilitator gave the picture, else the catalogue's, else its name.
            text = str(alt or pictograms.ALT_TEXTS.get(picture.stem) or picture.stem)
        self.blocks[-1].choices.append((label, src, text))

    def writing_lines(self, count: int) -> None:
        self.blocks.append(Block("lines", count=count))


def _data_url(picture: Path) -> str:
    import base64

    kind = "image/svg+xml" if picture.suffix == ".svg" else "image/png"
    return f"data:{kind};base64," + base64.b64encode(picture.read_bytes()).decode("ascii")


def _names(names: list[str]) -> str:
    """ "Nadia", "Nadia et Paul", "Nadia, Paul et Léa"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def proofreaders(round_: ConsultationRound, fields: list[tuple[str, str]]) -> str:
    """The first names of the proofreaders who agreed to be named, printed as "Nadia et Paul"
    when every easy text of the document was approved as it is now (app/falc/proofreading.py);
    "" when one was not (nobody vouches for the whole document) or nobody agreed."""
    names: list[str] = []
    for field_name, text in fields:
        if not (text or "").strip():
            continue
        badge = proofreading.badge_for(
            SUBJECT_TYPE, round_.id, field_name, text, organisation_id=round_.organisation_id
        )
        if badge is None:
            return ""
        for name in badge.names:
            if name not in names:
                names.append(name)
    return _names(names)


def _round_fields(round_: ConsultationRound, *names: str) -> list[tuple[str, str]]:
    return [(f"{name}_easy", getattr(round_, f"{name}_easy")) for name in names]


def _lang() -> str:
    return str(get_locale() or "fr").split("_")[0]


def questionnaire_pdf(round_: ConsultationRound, codes: list[str | None]) -> bytes:
    link = external_url("consultations.show", round_id=round_.id)
    skips = conditions.paper_lines(round_)  # "If you ticked ..., go to question 4."
    questions = []
    for question in round_.questions:
        sheet = AnswerSheet()
        kind_of(question).print_question(sheet, question)
        # Typed in, the second box counts as a confusion (app/consultations/paper_entry.py).
        sheet.checkbox(_("I prefer not to answer"))
        sheet.checkbox(_("I do not understand this question"), picture=pictograms.path("question"))
        questions.append((question, skips[question.id], sheet.blocks))
    fields = _round_fields(round_, "title", "subject")
    fields += [(f"question_{q.id}", q.text_easy) for q in round_.questions]
    return render_pdf(
        "print/questionnaire.html",
        title=round_.easy("title"),
        lang=_lang(),
        round=round_,
        codes=codes or [None],
        start=_date(round_.opens_at),
        end=_date(round_.closes_at),
        link=link,
        link_qr=qr_data_url(link),
        # typed by hand when short enough, else the QR code alone
        address=bare_url(link) if len(bare_url(link)) <= TYPED_ADDRESS else "",
        questions=questions,
        total=len(round_.questions),
        proofread_by=proofreaders(round_, fields),
    )


QUOTES_IN_SUMMARY = 10  # chosen quotes per question in the summary; the others on the page


@dataclass
class Quotes:
    """The written answers printed under a question, and the sentences around them."""

    texts: list[str] = field(default_factory=list)
    others: int = 0  # chosen quotes left for the results page
    note: str = ""


def _summary_quotes(result: QuestionResult) -> Quotes:
    """The quotes the facilitator chose (curation.py), never a text not chosen; capped as on
    the results page (disclosure.py rule 8: then the same sentence, whatever was held back)."""
    protected = result.quote_cap is not None and kind_of(result.question).has_free_texts
    if protected:
        quotes = _quote_lines(result) if result.texts else Quotes()
        quotes.note = _(
            "To protect the people who answered, some written answers may not be shown."
        )
        return quotes
    if not result.text_total:
        return Quotes()
    if not result.quotes_ready:
        return Quotes(note=_("The facilitator is choosing which written answers to show."))
    if not result.texts:
        return Quotes(note=_("No written answer was chosen to be shown."))
    return _quote_lines(result)


def _quote_lines(result: QuestionResult) -> Quotes:
    texts = list(result.texts[:QUOTES_IN_SUMMARY])
    return Quotes(texts=texts, others=max(result.quote_total - len(texts), 0))


def _condition_line(result: QuestionResult) -> str:
    """Who saw a conditional question, as on the results page."""
    condition = result.condition
    choice, question = condition.choice.label, condition.choice.question.position
    if condition.total.hidden:
        return _(
            "Question shown only to the people who answered «%(choice)s» to question %(q)s.",
            choice=choice,
            q=question,
        )
    return ngettext(
        "Question shown to the %(num)s person who answered «%(choice)s» to question %(q)s.",
        "Question shown to the %(num)s people who answered «%(choice)s» to question %(q)s.",
        condition.total.value,
        choice=choice,
        q=question,
    )


def summary_pdf(round_: ConsultationRound, results: RoundResults) -> bytes:
    # The numbers are those of the results page (disclosure.py): hidden ones say "hidden".
    count = results.respondents
    if count.hidden:
        sent = _(
            "Fewer than %(n)s people sent their answers. To protect them, no number is shown.",
            n=results.threshold,
        )
    else:
        sent = ngettext(
            "%(n)s person sent their answers.",
            "%(n)s people sent their answers.",
            count.value,
            n=count.value,
        )
    questions = [
        {
            "result": result,
            "condition": _condition_line(result) if result.condition is not None else "",
            "lines": kind_of(result.question).summary_lines(result, results.threshold),
            "quotes": _summary_quotes(result),
            "declined": disclosure.text(result.declined),
        }
        for result in results.questions
    ]
    # The feedback once published only (before, it is a draft of the staff), with where each
    # point stands (app/consultations/feedback.py).
    feedback = []
    if round_.feedback_items and lifecycle.allows(round_, Allow.FEEDBACK_SHOWN):
        feedback = round_.feedback_items
    fields = _round_fields(round_, "title", "subject")
    return render_pdf(
        "print/summary.html",
        title=round_.easy("title"),
        lang=_lang(),
        round=round_,
        sent=sent,
        threshold=results.threshold,
        questions=questions,
        feedback=feedback,
        proofread_by=proofreaders(round_, fields),
    )


def easy_text(round_: ConsultationRound) -> str:
    """The easy-to-read version of the round, as people read it (used for print and audio)."""
    parts = [
        round_.easy("title"),
        round_.easy("subject"),
        round_.easy("why"),
        round_.easy("what_next"),
    ]
    parts.append(
        _(
            "You can answer from %(start)s to %(end)s.",
            start=_date(round_.opens_at),
            end=_date(round_.closes_at),
        )
    )
    if round_.costs_covered:
        parts.append(_("Your costs are paid: %(costs)s", costs=round_.costs_covered))
    if round_.contact_name:
        parts.append(_("You can ask for help: %(who)s.", who=round_.contact_name))
    return "\n".join(p for p in parts if p)


def easy_pdf(round_: ConsultationRound) -> bytes:
    """Large print: one sentence per line, left-aligned, 18 pt; a sentence never split."""
    from app.falc.analyser import split_sentences

    text = easy_text(round_)
    body = text.split("\n", 1)[1] if "\n" in text else ""
    paragraphs = [
        [paragraph[start:end] for start, end in split_sentences(paragraph)]
        for paragraph in body.split("\n")
    ]
    fields = _round_fields(round_, "title", "subject", "why", "what_next")
    return render_pdf(
        "print/easy.html",
        title=round_.easy("title"),
        lang=_lang(),
        round=round_,
        paragraphs=[p for p in paragraphs if p],
        proofread_by=proofreaders(round_, fields),
    )
