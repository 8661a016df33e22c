"""Every notification names what it is about and leads to its page: "Ouvrir" on a
notification never brings the person back to the notifications page itself. Walked over
every notification the demo writes (`flask demo load`, then `flask jobs run`)."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.core.models import Notification
from app.expenses.models import ExpenseRequest
from app.trainings.models import Signup


def _demo_notifications(app) -> list[Notification]:
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    ran = runner.invoke(args=["jobs", "run"])
    assert ran.exit_code == 0, ran.output
    with app.app_context():
        notes = list(db.session.scalars(select(Notification).order_by(Notification.id)))
        for note in notes:
            db.session.expunge(note)
    return notes


def test_every_demo_notification_links_to_its_object_not_to_the_notifications_page(app):
    notes = _demo_notifications(app)
    assert notes, "the demo writes notifications"
    public = app.config["PUBLIC_URL"].rstrip("/")
    wrong = [
        (note.subject, note.link)
        for note in notes
        if not note.link
        or not note.link.startswith(public + "/")
        or note.link.rstrip("/").endswith("/notifications")
    ]
    assert not wrong, wrong


def test_a_cost_notification_names_the_request_and_opens_it(app):
    notes = _demo_notifications(app)
    with app.app_context():
        public = app.config["PUBLIC_URL"].rstrip("/")
        told = 0
        for request in db.session.scalars(select(ExpenseRequest)):
            link = f"{public}/expenses/{request.id}"
            for note in notes:
                if note.person_id == request.person_id and note.link == link:
                    told += 1
                    assert request.activity_label and request.activity_label in note.subject, (
                        note.subject
                    )
        assert told, "a cost notification of the demo opens its request"


def test_a_sign_up_notification_names_its_mission(app):
    notes = _demo_notifications(app)
    with app.app_context():
        told = 0
        for signup in db.session.scalars(select(Signup)):
            for note in notes:
                if note.person_id == signup.person_id and note.subject.startswith("Co-formation"):
                    told += 1
                    theirs = select(Signup).where(Signup.person_id == signup.person_id)
                    titles = [s.mission.easy("title") for s in db.session.scalars(theirs)]
                    assert any(title in note.subject for title in titles), note.subject
        assert told, "a sign-up notification of the demo"


def test_a_purchase_made_for_a_person_names_its_amount_and_opens_their_list(app):
    notes = _demo_notifications(app)
    public = app.config["PUBLIC_URL"].rstrip("/")
    paid_for = [note for note in notes if note.subject.startswith("Payé pour vous")]
    assert paid_for, "the demo pays something for someone"
    for note in paid_for:
        assert note.subject.endswith("\u00a0€"), note.subject
        assert note.link == f"{public}/expenses/#paid-for-me-title"


def _notify_calls():
    """Every `notify(...)` call in the application's code, with where it is."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "app"
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "notify":
                yield f"{path.relative_to(root.parent)}:{node.lineno}", node


def test_every_notify_call_gives_a_link_other_than_the_notifications_page():
    import ast

    calls = list(_notify_calls())
    assert len(calls) >= 15, len(calls)
    wrong = []
    for where, call in calls:
        link = next((k.value for k in call.keywords if k.arg == "link"), None)
        if link is None and len(call.args) >= 4:
            link = call.args[3]
        if link is None or "main.notifications" in ast.unparse(link):
            wrong.append(where)
    assert not wrong, wrong
