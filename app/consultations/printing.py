"""Printable PDFs of a round: the paper questionnaire (one question per page, large
print, the paper code and a QR code to answer online) and the summary of results + feedback."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from app.consultations import conditions, disclosure, lifecycle
from app.consultations.kinds import kind_of
from app.consultations.lifecycle import Allow
from app.consultations.models import ConsultationRound
from app.consultations.pictograms import path as pictogram_path
from app.consultations.services import QuestionResult, RoundResults
from app.core.pdf import LargePrint
from app.core.urls import external_url


def _date(value) -> str:  # noqa: ANN001
    from flask_babel import format_date

    return format_date(value, "d MMMM yyyy")


def questionnaire_pdf(round_: ConsultationRound, codes: list[str | None]) -> bytes:
    pdf = LargePrint(round_.easy("title"), footer_text=_("Parole - page"))
    link = external_url("consultations.show", round_id=round_.id)
    total = len(round_.questions)
    skips = conditions.paper_lines(round_)  # "If you ticked ..., go to question 4."
    for code in codes or [None]:
        pdf.add_page()
        pdf.heading(round_.easy("title"), 26)
        if code:
            pdf.para(_("Your questionnaire code:"), 18)
            pdf.heading(code, 30)
        pdf.para(round_.easy("subject"), 18)
        pdf.para(
            _(
                "You can answer from %(start)s to %(end)s.",
                start=_date(round_.opens_at),
                end=_date(round_.closes_at),
            ),
            18,
        )
        pdf.para(_("One question per page. Tick a box, or write your answer."), 18)
        pdf.para(_('You can always tick "I prefer not to answer".'), 18)
        pdf.para(_('A question is not clear? Tick "I do not understand this question".'), 18)
        if round_.contact_name:
            pdf.para(_("You can ask for help: %(who)s.", who=round_.contact_name), 18)
        pdf.para(_("To answer on the internet, scan this code with your phone:"), 18)
        pdf.qr(link)
        for question in round_.questions:
            pdf.add_page()
            pdf.para(
                _("Question %(n)s of %(total)s", n=question.position, total=total), 16, bold=True
            )
            for line in skips[question.id].before:
                pdf.para(line, 18, bold=True)
            pdf.heading(question.easy(), 22)
            kind_of(question).print_question(pdf, question)
            pdf.checkbox(_("I prefer not to answer"))
            # Typed in, this box counts as a confusion (app/consultations/paper_entry.py).
            pdf.checkbox(_("I do not understand this question"), picture=pictogram_path("question"))
            for line in skips[question.id].after:
                pdf.para(line, 18, bold=True)
            if code:
                pdf.para(_("Code: %(code)s", code=code), 12)
    return pdf.bytes()


QUOTES_IN_SUMMARY = 10  # chosen quotes per question in the summary; the others on the page


def _summary_quotes(pdf: LargePrint, result: QuestionResult) -> None:
    """The quotes the facilitator chose (curation.py), never a text not chosen; capped as on
    the results page (disclosure.py rule 8: then the same sentence, whatever was held back)."""
    protected = result.quote_cap is not None and kind_of(result.question).has_free_texts
    if protected:
        if result.texts:
            _quote_lines(pdf, result)
        pdf.para(
            _("To protect the people who answered, some written answers may not be shown."), 14
        )
        return
    if not result.text_total:
        return
    if not result.quotes_ready:
        pdf.para(_("The facilitator is choosing which written answers to show."), 14)
        return
    if not result.texts:
        pdf.para(_("No written answer was chosen to be shown."), 14)
        return
    _quote_lines(pdf, result)


def _quote_lines(pdf: LargePrint, result: QuestionResult) -> None:
    pdf.para(_("What people wrote"), 16, bold=True)
    for text in result.texts[:QUOTES_IN_SUMMARY]:
        pdf.para("– " + text, 14)
    others = result.quote_total - min(len(result.texts), QUOTES_IN_SUMMARY)
    if others > 0:
        pdf.para(_("Other quotes on the results page: %(n)s.", n=others), 14)


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
    pdf = LargePrint(round_.easy("title"), footer_text=_("Parole - page"))
    pdf.add_page()
    pdf.heading(round_.easy("title"), 26)
    pdf.para(round_.easy("subject"), 16)
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
    pdf.para(sent, 16, bold=True)
    pdf.para(
        _(
            "To protect people, some numbers are hidden: numbers under %(n)s, and numbers that would let someone work them out.",
            n=results.threshold,
        ),
        14,
    )
    for result in results.questions:
        pdf.ln(2)
        pdf.para(
            _("Question %(n)s", n=result.question.position) + " : " + result.question.easy(),
            18,
            bold=True,
        )
        if result.condition is not None:
            pdf.para(_condition_line(result), 14)
        for line in kind_of(result.question).summary_lines(result, results.threshold):
            pdf.para(line, 16)
        _summary_quotes(pdf, result)
        pdf.para(_("Preferred not to answer: %(n)s", n=disclosure.text(result.declined)), 14)
    # The feedback once published only (before, it is a draft of the staff), with where each
    # point stands (app/consultations/feedback.py).
    if round_.feedback_items and lifecycle.allows(round_, Allow.FEEDBACK_SHOWN):
        pdf.add_page()
        pdf.heading(_("What we did with your words"), 24)
        for item in round_.feedback_items:
            pdf.para(_("You said:") + " " + item.you_said_easy, 16)
            pdf.para(_("We did:") + " " + item.we_did_easy, 16, bold=True)
            pdf.para(_("Where it stands:") + " " + item.status.label, 16)
            if item.progress is not None:
                pdf.para(_("Progress: %(percent)s %%", percent=item.progress), 16)
            if item.status.needs_reason and item.reason:
                pdf.para(_("Why it is not kept:") + " " + item.reason, 16)
    return pdf.bytes()


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
    """Large print: one sentence per line, left-aligned, 18 pt."""
    from app.falc.analyser import split_sentences

    pdf = LargePrint(round_.easy("title"), footer_text=_("Parole - page"))
    pdf.add_page()
    pdf.heading(round_.easy("title"), 28)
    body = easy_text(round_).split("\n", 1)[1] if "\n" in easy_text(round_) else ""
    for paragraph in body.split("\n"):
        for start, end in split_sentences(paragraph):
            pdf.para(paragraph[start:end], 18)
        pdf.ln(3)
    return pdf.bytes()
