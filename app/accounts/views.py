"""Login, logout, my account, codes and preferences. Views stay thin."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import db
from app.accounts import services
from app.accounts.forms import ChangeSecretForm, ChooseCodeForm, LoginForm, PreferencesForm
from app.core.errors import DomainError, TooManyAttempts
from app.core.i18n import (
    COOKIE_MAX_AGE,
    DISPLAY_COOKIE,
    LANG_COOKIE,
    display_cookie_value,
    display_preferences,
    select_locale,
)
from app.core.web import current_actor, flash_ok

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"), 303)
    form = LoginForm()
    if request.method == "GET" and request.args.get("identifier"):
        form.identifier.data = request.args["identifier"][:254]
    status = 200
    if form.validate_on_submit():
        with db.read_phase():  # the slow password hash, outside the write lock
            check = services.check_credentials(form.identifier.data, form.secret.data)
        try:
            person = services.finish_login(check)
        except TooManyAttempts as exc:
            db.session.commit()
            form.add_domain_error(exc)
            status = 429
        except services.InvalidCredentials as exc:
            db.session.commit()  # the failure must count for throttling
            form.add_domain_error(exc)
        else:
            token = services.open_login_session(person)
            db.session.commit()
            session.clear()
            login_user(person)
            session["sid"] = token
            return redirect(_safe_next(request.args.get("next")), 303)
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    services.close_login_session(session.get("sid"))
    db.session.commit()
    logout_user()
    session.clear()
    flash_ok(_("You are logged out. See you soon."))
    return redirect(url_for("main.home"), 303)


@bp.route("/account")
@login_required
def account() -> Any:
    return render_template("accounts/account.html", person=current_user)


@bp.route("/account/choose-code", methods=["GET", "POST"])
@login_required
def choose_code() -> Any:
    if not current_user.must_choose_code:
        return redirect(url_for("accounts.change_secret"), 303)
    form = ChooseCodeForm()
    if form.validate_on_submit():
        try:
            token = services.change_secret(current_actor(), None, form.new_secret.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_error(exc)
        else:
            db.session.commit()
            session["sid"] = token
            flash_ok(_("Your code is saved. Use it next time you log in."))
            return redirect(url_for("main.home"), 303)
    return render_template("accounts/choose_code.html", form=form)


@bp.route("/account/secret", methods=["GET", "POST"])
@login_required
def change_secret() -> Any:
    form = ChangeSecretForm()
    if form.validate_on_submit():
        try:
            token = services.change_secret(
                current_actor(), form.current_secret.data, form.new_secret.data
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_error(exc)
        else:
            db.session.commit()
            session["sid"] = token
            flash_ok(_("Saved. Your other connections were closed."))
            return redirect(url_for("accounts.account"), 303)
    return render_template("accounts/change_secret.html", form=form)


@bp.route("/preferences", methods=["GET", "POST"])
def preferences() -> Any:
    form = PreferencesForm()
    if request.method == "GET":
        current = display_preferences()
        form.language.data = select_locale()
        form.display.data = [name for name, on in current.items() if on]
    if form.validate_on_submit():
        easy = "easy_read" in (form.display.data or [])
        contrast = "high_contrast" in (form.display.data or [])
        if current_user.is_authenticated:
            services.update_preferences(current_actor(), form.language.data, easy, contrast)
            db.session.commit()
        response = redirect(url_for("accounts.preferences"), 303)
        secure = current_app.config["SESSION_COOKIE_SECURE"]
        for name, value in (
            (LANG_COOKIE, form.language.data),
            (DISPLAY_COOKIE, display_cookie_value(easy, contrast)),
        ):
            response.set_cookie(
                name, value, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=secure
            )
        with force_locale(form.language.data):
            flash_ok(_("Your preferences are saved."))
        return response
    return render_template("accounts/preferences.html", form=form)


@bp.route("/display/easy-read", methods=["POST"])
def toggle_easy_read() -> Any:
    """The easy-read switch in the footer. Keeps the other preferences."""
    current = display_preferences()
    easy = not current["easy_read"]
    if current_user.is_authenticated:
        services.update_preferences(
            current_actor(), current_user.language, easy, current_user.high_contrast
        )
        db.session.commit()
    response = redirect(_safe_next(request.form.get("next")), 303)
    response.set_cookie(
        DISPLAY_COOKIE,
        display_cookie_value(easy, current["high_contrast"]),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/language/<code>", methods=["POST"])
def switch_language(code: str) -> Any:
    """The language buttons in the footer. Keeps the other preferences."""
    if code not in ("fr", "en"):
        return redirect(url_for("main.home"), 303)
    if current_user.is_authenticated:
        services.update_preferences(
            current_actor(), code, current_user.easy_read, current_user.high_contrast
        )
        db.session.commit()
    response = redirect(_safe_next(request.form.get("next")), 303)
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
