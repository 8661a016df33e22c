"""How to reach a person: their contact choice and phone number, on their own account page
(/account/contact) or entered by a facilitator of the organisation that holds the account
(/participants/<id>/contact, with the consent note); and the facilitators' "À prévenir" list
(/participants/a-prevenir) with its button "C'est fait"."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import contact, to_tell
from app.accounts.blueprint import accounts_bp, participants_bp
from app.accounts.forms import ContactForm
from app.accounts.participants_views import _participant_or_404
from app.core.forms import Form
from app.core.permissions import can
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status


def _contact_form(person: Any) -> ContactForm:
    form = ContactForm(
        data={"contact_channel": person.contact_channel or None, "phone": person.phone or ""}
    )
    form.contact_channel.choices = [
        (value, str(label)) for value, label in contact.CONTACT_CHANNELS
    ]
    if not form.is_submitted() and person.phone:
        form.phone.data = contact.display_phone(person.phone)
    return form


def _contact_page(person: Any, back: str) -> Any:
    form = _contact_form(person)
    helping = person.id != current_user.id
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form,
            lambda: contact.set_contact(
                current_actor(),
                person,
                contact.ContactInput(
                    channel=form.contact_channel.data or "",
                    phone=form.phone.data or "",
                    consent_note=form.consent_note.data if helping else None,
                ),
            ),
        )
        if done:
            flash_ok(_("It is saved. This is how Parole will tell you what is new."))
            return redirect(back, 303)
    return render_template(
        "accounts/contact.html", form=form, person=person, helping=helping, back=back
    ), form_status(form)


@accounts_bp.route("/account/contact", methods=["GET", "POST"])
@login_required
def contact_choice() -> Any:
    return _contact_page(current_actor(), url_for("accounts.account"))


@participants_bp.route("/<int:person_id>/contact", methods=["GET", "POST"])
@login_required
def person_contact(person_id: int) -> Any:
    person = _participant_or_404(person_id)
    return _contact_page(person, url_for("participants.show", person_id=person.id))


@participants_bp.route("/a-prevenir", endpoint="to_tell")
@login_required
def to_tell_list() -> Any:
    if not can(current_user, "to_tell.see"):
        abort(403)
    actor = current_actor()
    return render_template(
        "participants/to_tell.html",
        items=to_tell.open_items(actor),
        done=to_tell.recently_done(actor),
    )


@participants_bp.route(
    "/a-prevenir/<int:to_tell_id>/done", methods=["POST"], endpoint="to_tell_done"
)
@login_required
def to_tell_done(to_tell_id: int) -> Any:
    item = to_tell.get_item(to_tell_id)
    if not can(current_user, "to_tell.mark_done", item):
        abort(404)
    if not Form().validate_on_submit():
        abort(400)
    done, _result = commit_or_show_error(None, lambda: to_tell.mark_done(current_actor(), item))
    if done:
        flash_ok(_("Thank you. It is noted that you told the person."))
    return redirect(url_for("participants.to_tell"), 303)


@accounts_bp.app_context_processor
def _contact_words() -> dict[str, Any]:
    """The contact choices' labels and a number written for reading, for every page that
    says how to reach someone (account page, participant page, "À prévenir")."""
    return {"contact_labels": contact.CONTACT_LABELS, "display_phone": contact.display_phone}
