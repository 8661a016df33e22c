"""What costs and pay puts in the home page's "For you now" (core's registry, app/core/home.py):
the person's requests that need something from them: a question from the finance team ("we
need more information"), a request not sent yet, a paid advance to settle with the receipts."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app import db
from app.core.home import WaitingItem, register_home_section
from app.expenses.models import ExpenseRequest, RequestKind, RequestStatus

S = RequestStatus


def _what(request: ExpenseRequest) -> str:
    from app.expenses import story

    return story.name(request)


def _item(request: ExpenseRequest) -> WaitingItem:
    if request.status == S.NEEDS_INFO:
        kind, text = "question", _("We need more information: %(what)s", what=_what(request))
    elif request.status == S.DRAFT:
        kind, text = "draft", _("Your request is not sent yet: %(what)s", what=_what(request))
    else:
        kind, text = (
            "advance",
            _("Send the receipts of your advance: %(what)s", what=_what(request)),
        )
    # A question after the request is sent again is news again: its key names that sending.
    sent = request.submitted_at
    asked = f":{int(sent.timestamp())}" if kind == "question" and sent else ""
    return WaitingItem(
        key=f"expenses.{kind}:{request.id}{asked}",
        text=text,
        endpoint="expenses.show",
        values={"request_id": request.id},
    )


def requests_needing_you(actor: Any) -> list[WaitingItem]:
    """Questions first, then requests not sent, then advances to settle; oldest first. One
    query. An advance is settled once a settling request exists (a draft of it is listed as
    a request not sent)."""
    settlement = aliased(ExpenseRequest)
    settled = select(settlement.id).where(
        settlement.settles_id == ExpenseRequest.id, settlement.status != S.CANCELLED
    )
    requests = db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.person_id == actor.id,
            or_(
                ExpenseRequest.status.in_((S.NEEDS_INFO, S.DRAFT)),
                and_(
                    ExpenseRequest.kind == RequestKind.ADVANCE,
                    ExpenseRequest.status == S.PAID,
                    ~settled.exists(),
                ),
            ),
        )
        .options(selectinload(ExpenseRequest.lines))  # the names (story.py) read the first cost
        .order_by(ExpenseRequest.created_at, ExpenseRequest.id)
    ).all()
    order = {S.NEEDS_INFO: 0, S.DRAFT: 1}
    return [_item(r) for r in sorted(requests, key=lambda r: order.get(r.status, 2))]


def requests_to_check(actor: Any) -> list[WaitingItem]:
    """For the people who check or pay requests (facilitators, finance, the administrators
    requests are routed to): how many wait for them, counted in one query, with a link to
    the queue. Nothing for anyone else."""
    from flask_babel import ngettext

    from app.core.permissions import can
    from app.expenses import services

    organisations = services.reviewable_organisations(actor)
    if not organisations:
        return []
    deciding = [o for o in organisations if can(actor, "expenses.review", o)]
    paying = [o for o in organisations if can(actor, "expenses.pay", o)]
    row = db.session.execute(
        select(func.count(ExpenseRequest.id), func.max(ExpenseRequest.id)).where(
            or_(
                and_(
                    ExpenseRequest.organisation_id.in_(deciding),
                    ExpenseRequest.person_id.is_distinct_from(actor.id),
                    or_(
                        ExpenseRequest.status == S.SUBMITTED,
                        and_(
                            ExpenseRequest.status == S.AWAITING_SECOND,
                            ExpenseRequest.first_reviewer_id.is_distinct_from(actor.id),
                        ),
                    ),
                ),
                and_(
                    ExpenseRequest.organisation_id.in_(paying),
                    ExpenseRequest.status.in_((S.APPROVED, S.PARTLY_APPROVED)),
                ),
            )
        )
    ).one()
    count, newest = row
    if not count:
        return []
    return [
        WaitingItem(
            # A new request waiting is news again: the key names the newest one.
            key=f"expenses.to_check:{newest}",
            text=ngettext(
                "%(num)d request waits for your check",
                "%(num)d requests wait for your check",
                count,
            ),
            endpoint="expenses.finance_queue",
        )
    ]


def register() -> None:
    register_home_section("cost_requests", 40, requests_needing_you, "expenses/_home_requests.html")
    register_home_section(
        "cost_requests_to_check", 42, requests_to_check, "expenses/_home_requests.html"
    )
