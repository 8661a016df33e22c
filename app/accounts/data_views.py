"""My data: read what Parole holds, download it, agreements, close the account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required, logout_user

from app.accounts import personal_data
from app.accounts.blueprint import accounts_bp as bp
from app.accounts.forms import CloseAccountForm
from app.accounts.models import ConsentKind
from app.core import formatting
from app.core.forms import Form
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status
from app.db import utcnow


def _consent_rows(person: Any) -> list[dict[str, Any]]:
    """Each kind of agreement with its current state, for the page."""
    rows = []
    for kind in ConsentKind:
        record = personal_data.current_consent(person, kind)
        rows.append(
            {
                "kind": kind,
                "record": record,
                "active": record is not None and record.active,
                "self_given": kind in personal_data.SELF_GIVEN,
            }
        )
    return rows


@bp.route("/account/data")
@login_required
def my_data() -> Any:
    person = current_actor()
    return render_template(
        "accounts/my_data.html",
        person=person,
        data=personal_data.export_person_data(person),
        consents=_consent_rows(person),
        links=personal_data.active_links(person),
        blockers=personal_data.closing_blockers(person),
    )


@bp.route("/account/data/link", methods=["POST"])
@login_required
def make_data_link() -> Any:
    if not Form().validate_on_submit():
        abort(400)
    _done, (token, _link) = commit_or_show_error(
        None, lambda: personal_data.make_export_link(current_actor()), on_refusal="page"
    )
    return redirect(url_for("accounts.data_download", token=token), 303)


@bp.route("/account/data/<token>")
@login_required
def data_download(token: str) -> Any:
    link = personal_data.valid_link(current_actor(), token)  # 404, or 410 once expired
    return render_template("accounts/data_download.html", token=token, link=link)


@bp.route("/account/data/<token>/parole-mes-donnees.json")
@login_required
def data_json(token: str) -> Any:
    _person, data = _data_behind(token)
    response = jsonify(data)
    response.headers["Content-Disposition"] = "attachment; filename=parole-mes-donnees.json"
    return _not_kept(response)


@bp.route("/account/data/<token>/parole-mes-donnees.zip")
@login_required
def data_zip(token: str) -> Any:
    """Everything in one file: the data (JSON and a page to print) and the receipt files."""
    person, data = _data_behind(token)
    page = render_template(
        "accounts/data_file.html",
        data=_readable(data),
        made_on=formatting.date_time(utcnow()),
    )
    archive = personal_data.export_archive(person, data, page)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name="parole-mes-donnees.zip",
    )
    return _not_kept(response)


@bp.route("/account/data/<token>/readable")
@login_required
def data_readable(token: str) -> Any:
    _person, data = _data_behind(token)
    page = render_template("accounts/data_readable.html", data=_readable(data))
    return _not_kept(make_response(page))


def _data_behind(token: str) -> tuple[Any, dict[str, Any]]:
    """The person and their data, once the link is theirs and still valid (404, or 410 once
    it has expired)."""
    person = current_actor()
    personal_data.valid_link(person, token)
    return person, personal_data.export_person_data(person)


def _not_kept(response: Any) -> Any:
    """A download of personal data stays out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _readable(value: Any) -> Any:
    """The export for people: keys in words, dates and times as in the rest of Parole."""
    if isinstance(value, dict):
        return {
            str(personal_data.EXPORT_LABELS.get(key, key)): _readable(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_readable(item) for item in value]
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return formatting.date_time(datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


@bp.route("/account/consents/<kind>/<any(give, withdraw):change>", methods=["POST"])
@login_required
def consent(kind: str, change: str) -> Any:
    try:
        consent_kind = ConsentKind(kind)
    except ValueError:
        abort(404)
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    person = current_actor()
    if change == "give":
        if consent_kind not in personal_data.SELF_GIVEN:
            abort(404)
        call = lambda: personal_data.give_consent(person, person, consent_kind)  # noqa: E731
    else:
        call = lambda: personal_data.withdraw_consent(person, person, consent_kind)  # noqa: E731
    # A button: a refusal (an agreement already taken back in another tab) is flashed.
    done, _result = commit_or_show_error(None, call)
    if done:
        flash_ok(_("Saved. You can change your mind at any time."))
    return redirect(url_for("accounts.my_data", _anchor="agreements"), 303)


@bp.route("/account/close", methods=["GET", "POST"])
@login_required
def close_account() -> Any:
    person = current_actor()
    form = CloseAccountForm()
    blockers = personal_data.closing_blockers(person)
    if form.validate_on_submit():
        done, _closed = commit_or_show_error(
            form, lambda: personal_data.close_account(person, person, form.secret.data)
        )
        if done:
            logout_user()
            session.clear()
            return redirect(url_for("accounts.account_closed"), 303)
    return render_template("accounts/close.html", form=form, blockers=blockers), form_status(form)


@bp.route("/account/closed")
def account_closed() -> Any:
    return render_template("accounts/closed.html")
