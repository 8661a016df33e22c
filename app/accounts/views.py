"""Login, logout, my account, codes and preferences. Views stay thin."""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import OperationalError

from app import db
from app.accounts import services
from app.accounts.blueprint import accounts_bp as bp
from app.accounts.forms import ChangeSecretForm, ChooseCodeForm, LoginForm, PreferencesForm
from app.core import idempotency
from app.core.errors import TooManyAttempts
from app.core.i18n import (
    COOKIE_MAX_AGE,
    DISPLAY_COOKIE,
    LANG_COOKIE,
    display_cookie_value,
    display_preferences,
    select_locale,
)
from app.core.web import commit_or_show_error, current_actor, flash_ok, form_status, safe_next

SEEN = "seen"  # in the session cookie: when this login's last use was written (Unix time)
DEVICE_TAGS = 20  # identifiers a known-device cookie remembers


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("main.home"))


def _client_address() -> str:
    """The address counted by the login throttle: the connection's, or, behind
    TRUSTED_PROXIES reverse proxies, the one the outermost trusted proxy saw (as Werkzeug's
    ProxyFix would read X-Forwarded-For). Never more proxies than configured: the rest of
    the header is written by the client and could be anything."""
    proxies = current_app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        forwarded = ",".join(request.headers.getlist("X-Forwarded-For")).split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.remote_addr or "unknown"


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="parole-known-device")


def _login_client() -> services.LoginClient:
    """Who is knocking: the address, and the known-device cookie if it is genuine."""
    device_id: str | None = None
    tags: tuple[str, ...] = ()
    raw = request.cookies.get(current_app.config["LOGIN_DEVICE_COOKIE"])
    if raw:
        try:
            data = _device_serializer().loads(raw)
            device_id, tags = str(data["d"]), tuple(str(t) for t in data["k"])
        except (BadSignature, KeyError, TypeError):
            device_id, tags = None, ()
    return services.LoginClient(_client_address(), device_id, tags)


def _remember_device(response: Any, client: services.LoginClient, identifier: str) -> None:
    """After a successful login: this browser is a known device for this identifier, so an
    attacker elsewhere cannot make the person wait here. Keeps the last DEVICE_TAGS
    identifiers (a computer shared in a workshop)."""
    tag = services.device_tag(identifier)
    tags = [tag] + [t for t in client.device_tags if t != tag][: DEVICE_TAGS - 1]
    value = _device_serializer().dumps(
        {"d": client.device_id or secrets.token_urlsafe(16), "k": tags}
    )
    response.set_cookie(
        current_app.config["LOGIN_DEVICE_COOKIE"],
        value,
        max_age=current_app.config["LOGIN_DEVICE_DAYS"] * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def _answer_slowly(check: services.CredentialCheck, started: float) -> None:
    """Many failures on this identifier today, from anywhere: a wrong password is answered
    after at least LOGIN_SLOW_ANSWER seconds. After the commit, so the wait holds no lock;
    only for a password actually tried (the answers "wait" are quick), so a flood of
    requests from one address cannot keep the server's workers asleep."""
    if check.slow:
        time.sleep(max(0.0, current_app.config["LOGIN_SLOW_ANSWER"] - (time.monotonic() - started)))


@bp.route("/login", methods=["GET", "POST"])
# Not counted once: nobody is logged in yet (login) or any more (logout), and sending it again
# does no harm (a new login, a session already closed).
@idempotency.exempt
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"), 303)
    form = LoginForm()
    if request.method == "GET" and request.args.get("identifier"):
        form.identifier.data = request.args["identifier"][:254]
    status = None  # 429 after too many tries, else that of the form
    if form.validate_on_submit():
        started = time.monotonic()
        client = _login_client()
        with db.read_phase():  # the slow password hash, outside the write lock
            check = services.check_credentials(
                form.identifier.data, form.secret.data, client=client
            )
        try:
            person = services.finish_login(check)
        except TooManyAttempts as exc:
            db.session.commit()  # no password was tried: no need to answer slowly
            form.add_domain_error(exc)
            status = 429
        except services.InvalidCredentials as exc:
            db.session.commit()  # the failure must count for throttling
            _answer_slowly(check, started)
            form.add_domain_error(exc)
        else:
            token = services.open_login_session(person)
            db.session.commit()
            session.clear()
            login_user(person)
            session["sid"] = token
            session[SEEN] = int(time.time())
            response = redirect(_safe_next(request.args.get("next")), 303)
            _remember_device(response, client, form.identifier.data)
            return response
    return render_template("accounts/login.html", form=form), status or form_status(form)


@bp.route("/logout", methods=["POST"])
# Not counted once: nobody is logged in yet (login) or any more (logout), and sending it again
# does no harm (a new login, a session already closed).
@idempotency.exempt
def logout() -> Any:
    commit_or_show_error(
        None, lambda: services.close_login_session(session.get("sid")), on_refusal="page"
    )
    logout_user()
    session.clear()
    flash_ok(_("You are logged out. See you soon."))
    return redirect(url_for("main.home"), 303)


@bp.before_app_request
def _end_expired_login() -> Any:
    """A login that ended by itself (unused for weeks, or a staff login past its hours):
    forget it and send the person to the login page with a word of explanation."""
    if request.endpoint == "static" or not session.get("sid") or current_user.is_authenticated:
        return None
    message = services.why_login_ended(session.get("sid"))
    session.clear()
    if message is None:
        return None
    flash(str(message), "info")
    target = None
    if request.method in ("GET", "HEAD"):
        target = request.full_path if request.query_string else request.path
    return redirect(url_for("accounts.login", next=_safe_next(target)), 303)


@bp.after_app_request
def _note_login_use(response: Any) -> Any:
    """Keep a live login alive: write its last use at most every SESSION_TOUCH_MINUTES. The
    time of the last note rides in the signed session cookie, so most pages do not even
    read the database for this. On its own short transaction, after the page's own."""
    token = session.get("sid")
    every = current_app.config["SESSION_TOUCH_MINUTES"] * 60
    now = int(time.time())
    if not token or now - int(session.get(SEEN, 0)) < every:
        return response
    if not current_user.is_authenticated:
        return response
    try:
        db.session.rollback()  # the page's work is committed or dropped by now
        services.note_login_use(token)
        db.session.commit()
    except OperationalError:  # busy: the next page notes it
        db.session.rollback()
        return response
    session[SEEN] = now
    return response


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
    return _new_code(
        form,
        None,
        "accounts/choose_code.html",
        _("Your code is saved. Use it next time you log in."),
        url_for("main.home"),
    )


@bp.route("/account/secret", methods=["GET", "POST"])
@login_required
def change_secret() -> Any:
    form = ChangeSecretForm()
    return _new_code(
        form,
        form.current_secret.data,
        "accounts/change_secret.html",
        _("Saved. Your other connections were closed."),
        url_for("accounts.account"),
    )


def _new_code(form: Any, current: str | None, template: str, saved: str, then: str) -> Any:
    """Both code pages: save the new code; this browser keeps its session (a new token)."""
    if form.validate_on_submit():
        done, token = commit_or_show_error(
            form, lambda: services.change_secret(current_actor(), current, form.new_secret.data)
        )
        if done:
            session["sid"] = token
            flash_ok(saved)
            return redirect(then, 303)
    return render_template(template, form=form), form_status(form)


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
            commit_or_show_error(
                None,
                lambda: services.update_preferences(
                    current_actor(), form.language.data, easy, contrast
                ),
                on_refusal="page",
            )
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
    return render_template("accounts/preferences.html", form=form), form_status(form)


@bp.route("/display/easy-read", methods=["POST"])
def toggle_easy_read() -> Any:
    """The easy-read switch in the footer. Keeps the other preferences."""
    current = display_preferences()
    easy = not current["easy_read"]
    if current_user.is_authenticated:
        commit_or_show_error(
            None,
            lambda: services.update_preferences(
                current_actor(), current_user.language, easy, current_user.high_contrast
            ),
            on_refusal="page",
        )
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
        commit_or_show_error(
            None,
            lambda: services.update_preferences(
                current_actor(), code, current_user.easy_read, current_user.high_contrast
            ),
            on_refusal="page",
        )
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
