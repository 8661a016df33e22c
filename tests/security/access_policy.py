"""Who gets what from each route of test_access, per method and actor, in the world of
world.py (objects on A's side: participant A's answers, expense request, receipt, sign-up...).

Outcomes: "ok" (2xx, or a redirect that is not to the login page), "refused" (400/409...: past
the permission check, the empty form or the object's state refused), "denied" (403 or 404),
"login" (redirect to the login page). Never a 500. `who()` lists the actors whose outcome is
not the usual one: anonymous people go to the login page, everybody else is denied. So the
cast of organisation Z (world.ACTORS_Z), like the outsiders of B, is denied everything of A's
except the "everyone" rows; and the same table, read with Z's cast in A's place
(world.mirrored), is the policy for the objects Z owns.

Reviewed against the permission code (app/*/permissions.py and the services' load_* checks):
- a facilitator of the organisation that holds the participant's account acts for them
  (person.act_for): expense lines, sign-ups, attestation, calendar, training feedback, the
  person's page, code and QR code, the answers to invitations they note for the person;
  a role the person accepted elsewhere gives that organisation nothing over the account
  (test_cross_organisation.py);
- "everyone" rows are about the actor's own things (their data, consents, their yearly
  statement) or public to members (a published mission, the kit's fiches, the organisation's
  moderation numbers to any of its members);
- kit.report_now only redirects to the year's report, which checks the permission;
- an invitation is answered by the person it names (accounts.answer_invitation), withdrawn by the
  inviting organisation's administrators; the outbox is the platform administrator's.
"""

from __future__ import annotations

from tests.security.world import ACTORS

EVERYONE = tuple(a for a in ACTORS if a != "anonymous")


def who(
    ok: tuple[str, ...] = (),
    refused: tuple[str, ...] = (),
    denied: tuple[str, ...] = (),
    anonymous: str = "login",
) -> dict[str, str]:
    table = {actor: "denied" for actor in ACTORS}
    table["anonymous"] = anonymous
    for outcome, actors in (("ok", ok), ("refused", refused), ("denied", denied)):
        for actor in actors:
            table[actor] = outcome
    return table


POLICY: dict[str, dict[str, dict[str, str]]] = {
    "accounts.answer_invitation": {"POST": who(ok=("participant_a",))},
    "accounts.consent": {"POST": who(ok=EVERYONE)},
    "accounts.data_download": {"GET": who(ok=("participant_a",))},
    "accounts.data_json": {"GET": who(ok=("participant_a",))},
    "accounts.data_readable": {"GET": who(ok=("participant_a",))},
    "accounts.data_zip": {"GET": who(ok=("participant_a",))},
    "accounts.my_data": {"GET": who(ok=EVERYONE)},
    "accounts.switch_language": {"POST": who(ok=EVERYONE, anonymous="ok")},
    "admin.organisation": {
        "GET": who(ok=("org_admin_a", "admin")),
        "POST": who(refused=("org_admin_a", "admin")),
    },
    "admin.remove_membership": {"POST": who(ok=("org_admin_a", "admin"))},
    "admin.retention": {"POST": who(refused=("org_admin_a", "admin"))},
    "admin.withdraw_invitation": {"POST": who(ok=("org_admin_a", "admin"))},
    "consultations.answer_done": {"GET": who(ok=("participant_a",))},
    # An empty form is a form error: 400 ("refused"), the page shown again with the error.
    "consultations.answer_question": {
        "GET": who(ok=("participant_a",)),
        "POST": who(refused=("participant_a",)),
    },
    "consultations.question_audio": {"GET": who(ok=("participant_a",))},
    "consultations.answer_review": {"GET": who(ok=("participant_a",))},
    "consultations.answer_submit": {"POST": who(refused=("participant_a",))},
    "consultations.assist": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    "consultations.audio": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.cancel_paper_code": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(ok=("facilitator_a", "org_admin_a")),
    },
    "consultations.chart": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.comment": {
        "POST": who(refused=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    # A button: refused in the round's state, it comes back as a message on the round's page.
    "consultations.delete_question": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.easy_pdf": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    # The round is open: only the words can be corrected, and an empty form keeps them
    # (nothing changes, back to the round's page).
    "consultations.edit_question": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(ok=("facilitator_a", "org_admin_a")),
    },
    "consultations.edit": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    "consultations.evaluation": {
        "GET": who(ok=("participant_a", "participant_b")),
        "POST": who(refused=("participant_a", "participant_b")),
    },
    "consultations.edit_feedback": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    "consultations.export_csv": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.feedback": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.feedback_audio": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.feedback_news": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    "consultations.invite_members": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.invite_one": {"POST": who(refused=("facilitator_a", "org_admin_a"))},
    "consultations.new_feedback": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    # A button: without a direction it is refused (400).
    "consultations.move_question": {"POST": who(refused=("facilitator_a", "org_admin_a"))},
    "consultations.new_question": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    # An organisation's own pictures: served to all like static files (answer pictures, no
    # personal data); removed by the organisation's facilitators and administrators.
    "consultations.own_pictogram_file": {"GET": who(ok=EVERYONE, anonymous="ok")},
    "consultations.paper": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    # Choosing the quotes of a closed round: the round's facilitators and administrators. An
    # empty form (not chosen, no text) changes nothing and goes back to the page.
    "consultations.curation_overview": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.curation_question": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.remove_own_pictogram": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.save_quote": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.quotes_ready": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.paper_code_list": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.paper_codes": {"POST": who(refused=("facilitator_a", "org_admin_a"))},
    # An evaluation written on paper, typed in by the round's staff once the feedback is out.
    "consultations.paper_evaluation": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    # A whole paper questionnaire on one page: an empty form is refused (the code is missing).
    "consultations.paper_one_page": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "org_admin_a")),
    },
    # The round's public page setting; an empty form unticks the box: saved, like a button.
    "consultations.public_setting": {
        "GET": who(ok=("facilitator_a", "org_admin_a")),
        "POST": who(ok=("facilitator_a", "org_admin_a")),
    },
    "consultations.questionnaire_pdf": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.results": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.result_texts": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.show": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    "consultations.start": {"POST": who(ok=("participant_a", "participant_b"))},
    "consultations.step": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.texts_check": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "consultations.summary_pdf": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a"))
    },
    # The older payments file: a 308 to the accountant's entries, for those who may read them.
    "expenses.accounting_csv": {"GET": who(ok=("finance_a", "org_admin_a"))},
    # Filling in a request (its costs, receipts, hours, sending it) is for the person and
    # whoever acts for them (expenses.fill): a reviewer is denied before any rule of the form.
    "expenses.add_line": {"POST": who(refused=("participant_a", "facilitator_a"))},
    # The organisation sets a compensation amount (finance, or a facilitator acting for the
    # person); the person never sets their own.
    "expenses.compensation": {"POST": who(refused=("facilitator_a", "finance_a"))},
    "expenses.add_receipt": {"POST": who(refused=("participant_a", "facilitator_a"))},
    "expenses.pay_details": {"POST": who(refused=("participant_a", "facilitator_a"))},
    "expenses.payment": {"POST": who(refused=("finance_a",))},
    "expenses.receipt": {"GET": who(ok=("participant_a", "facilitator_a", "finance_a"))},
    # The same receipt as a picture (a PDF's first page drawn on the server): as the file.
    "expenses.receipt_preview": {"GET": who(ok=("participant_a", "facilitator_a", "finance_a"))},
    # The organisers record what they bought for a person; nobody else sees the form.
    "expenses.direct_purchase": {
        "GET": who(ok=("facilitator_a", "finance_a")),
        "POST": who(refused=("facilitator_a", "finance_a")),
    },
    # Participant A has chosen no guardian: there is no judge's decision to download
    # (tests/functional/expenses/test_payment_preferences.py checks who gets one).
    "expenses.payee_document": {"GET": who()},
    "expenses.remove_line": {"POST": who(ok=("participant_a", "facilitator_a"))},
    "expenses.review": {
        "GET": who(ok=("facilitator_a", "finance_a")),
        "POST": who(refused=("facilitator_a", "finance_a")),
    },
    "expenses.settings": {
        "GET": who(ok=("finance_a", "org_admin_a")),
        "POST": who(refused=("finance_a", "org_admin_a")),
    },
    # The organisation's ledger accounts: as its settings (every box may be empty).
    "expenses.finance_ledger": {
        "GET": who(ok=("finance_a", "org_admin_a")),
        "POST": who(ok=("finance_a", "org_admin_a")),
    },
    # The accountant's entries (CSV or FEC): for those who pay.
    "expenses.finance_accounting": {"GET": who(ok=("finance_a", "org_admin_a"))},
    # The organisation's own bank account (the debtor of the SEPA file): as its settings.
    "expenses.finance_account": {
        "GET": who(ok=("finance_a", "org_admin_a")),
        "POST": who(refused=("finance_a", "org_admin_a")),
    },
    "expenses.show": {"GET": who(ok=("participant_a", "facilitator_a", "finance_a"))},
    "expenses.statement": {"GET": who(ok=EVERYONE)},
    # Mes revenus Parole: the quarter's statement of one's own pay.
    "expenses.earnings_statement": {"GET": who(ok=EVERYONE)},
    # The organisation's reference amounts for the earnings warning: as its settings (every
    # field may be empty: an empty form brings the defaults back).
    "expenses.earnings_amounts": {
        "GET": who(ok=("finance_a", "org_admin_a")),
        "POST": who(ok=("finance_a", "org_admin_a")),
    },
    "expenses.step": {"POST": who(ok=("participant_a", "facilitator_a"))},
    # The statement's form (its box, a consent note for a helper): an empty one is refused
    # on the request page (400) for the person and their helper, a 404 for anyone else.
    "expenses.sworn": {"POST": who(refused=("participant_a", "facilitator_a"))},
    "falc.deactivate": {"POST": who(ok=("facilitator_a",))},
    "falc.proofread": {
        "GET": who(ok=("participant_a", "facilitator_a")),
        # An empty form is refused (400); a facilitator is sent to the results (303).
        "POST": who(ok=("facilitator_a",), refused=("participant_a",)),
    },
    "falc.proofread_for": {
        "GET": who(ok=("facilitator_a",)),
        "POST": who(refused=("facilitator_a",)),
    },
    "falc.remove_glossary_entry": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "falc.results": {"GET": who(ok=("facilitator_a",))},
    "kit.dashboard": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "kit.edit_fiche": {
        "GET": who(ok=("admin",), anonymous="denied"),
        "POST": who(refused=("admin",), anonymous="denied"),
    },
    "kit.fiche": {"GET": who(ok=EVERYONE, anonymous="ok")},
    "kit.history": {"GET": who(ok=("admin",), anonymous="denied")},
    "kit.mission_checklist": {"GET": who(ok=("institute_a", "org_admin_a"))},
    "kit.report": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "kit.report_now": {"GET": who(ok=EVERYONE)},
    "kit.report_pdf": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "kit.round_checklist": {"GET": who(ok=("facilitator_a", "org_admin_a"))},
    "kit.tick": {"POST": who(ok=("facilitator_a", "org_admin_a"))},
    "main.outbox_retry": {"POST": who(refused=("admin",))},
    # The author's POST about a text with no decision to contest goes back to "My messages"
    # with a message (a form sent again from a second tab); everyone else: 404.
    "moderation.appeal": {"GET": who(), "POST": who(ok=("participant_a",))},
    "moderation.ban": {"POST": who(refused=("org_admin_a",))},
    "moderation.edit_mine": {
        "GET": who(ok=("participant_a",)),
        "POST": who(refused=("participant_a",)),
    },
    "moderation.item": {
        "GET": who(ok=("facilitator_a", "moderator_a", "org_admin_a")),
        "POST": who(refused=("facilitator_a", "moderator_a", "org_admin_a")),
    },
    "moderation.lift": {"POST": who(ok=("facilitator_a", "moderator_a", "org_admin_a"))},
    "moderation.measure": {"POST": who(refused=("facilitator_a", "moderator_a", "org_admin_a"))},
    "moderation.numbers": {
        "GET": who(
            ok=(
                "participant_a",
                "participant_b",
                "facilitator_a",
                "moderator_a",
                "finance_a",
                "org_admin_a",
            )
        )
    },
    "moderation.reasons": {
        "GET": who(ok=("moderator_a", "org_admin_a")),
        "POST": who(refused=("moderator_a", "org_admin_a")),
    },
    "moderation.report": {
        "GET": who(ok=("participant_a", "participant_b", "facilitator_a", "org_admin_a")),
        "POST": who(refused=("participant_a", "participant_b", "facilitator_a", "org_admin_a")),
    },
    "moderation.settings": {
        "GET": who(ok=("moderator_a", "org_admin_a")),
        "POST": who(refused=("moderator_a", "org_admin_a")),
    },
    "participants.record_invitation_answer": {"POST": who(refused=("facilitator_a",))},
    "participants.login_qr": {"GET": who(ok=("facilitator_a",))},
    "participants.reset_code": {"POST": who(ok=("facilitator_a",))},
    "participants.show": {"GET": who(ok=("facilitator_a",))},
    # A card account's e-mail address, typed by a facilitator of the holder organisation
    # (the POST without an address is refused by the form).
    "participants.person_email": {
        "GET": who(ok=("facilitator_a",)),
        "POST": who(refused=("facilitator_a",)),
    },
    "participants.person_contact": {
        "GET": who(ok=("facilitator_a",)),
        "POST": who(refused=("facilitator_a",)),
    },
    # A line of the "À prévenir" list: the facilitators of the organisation it belongs to.
    "participants.to_tell_done": {"POST": who(ok=("facilitator_a",))},
    # The public pages of organisation A (its finished round is shown): no login, for all.
    "public.organisation": {"GET": who(ok=EVERYONE, anonymous="ok")},
    "public.round_page": {"GET": who(ok=EVERYONE, anonymous="ok")},
    "static": {"GET": who(ok=EVERYONE, anonymous="ok")},
    # A transition to the state the sign-up is already in counts once: accepting or
    # confirming a confirmed place answers like the first time (after the permission check).
    "trainings.accept": {"POST": who(ok=("participant_a", "facilitator_a"))},
    "trainings.attendance": {
        "GET": who(ok=("institute_a", "org_admin_a")),
        "POST": who(ok=("institute_a", "org_admin_a")),
    },
    "trainings.attestation": {
        "GET": who(ok=("participant_a", "facilitator_a", "institute_a", "org_admin_a"))
    },
    "trainings.calendar": {"GET": who(ok=("participant_a", "facilitator_a"))},
    "trainings.cancel": {"POST": who(ok=("participant_a", "facilitator_a"))},
    "trainings.confirm": {"POST": who(ok=("institute_a", "org_admin_a"))},
    "trainings.cotrainer": {"GET": who(ok=("institute_a", "org_admin_a"))},
    "trainings.decline": {"POST": who(refused=("institute_a", "org_admin_a"))},
    "trainings.edit_mission": {
        "GET": who(ok=("institute_a", "org_admin_a")),
        "POST": who(refused=("institute_a", "org_admin_a")),
    },
    "trainings.feedback": {
        "GET": who(ok=("participant_a", "facilitator_a", "institute_a", "org_admin_a")),
        "POST": who(refused=("participant_a", "facilitator_a", "institute_a", "org_admin_a")),
    },
    "trainings.institute": {"GET": who(ok=("institute_a", "org_admin_a"))},
    "trainings.manage": {"GET": who(ok=("institute_a", "org_admin_a"))},
    "trainings.message": {"POST": who(refused=("institute_a", "org_admin_a"))},
    "trainings.move": {"POST": who(refused=("institute_a", "org_admin_a"))},
    "trainings.new_mission": {
        "GET": who(ok=("institute_a", "org_admin_a")),
        "POST": who(refused=("institute_a", "org_admin_a")),
    },
    "trainings.show": {"GET": who(ok=EVERYONE)},
    "trainings.sign_up": {"GET": who(ok=EVERYONE), "POST": who(refused=EVERYONE)},
    "trainings.waiting": {"POST": who(refused=("institute_a", "org_admin_a"))},
    "trainings.withdraw": {"POST": who(refused=("institute_a", "org_admin_a"))},
}


def expected(endpoint: str, method: str, actor: str) -> set[str]:
    return {POLICY[endpoint][method][actor]}
