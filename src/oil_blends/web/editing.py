"""The editors' pages: log in and out, add and edit an oil, the review queue, and each oil's history for everyone.

The rules are the storage layer's (:mod:`oil_blends.storage.editing`), the same as the JSON API's: an editor's
new oil and change to a safety figure wait for an admin other than its author; other changes, and an admin's,
apply at once. Every entry is validated by ``OilSchema`` with the change's source and comment, as the API does.

An edit form carries the version of the entry it was read at: when the oil changed meanwhile nothing is saved,
and the page shows both versions side by side with what was typed kept in the form, to be sent again on top of
the new version. Every form sends its CSRF token (checked for every POST outside the API, see ``app.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from marshmallow import ValidationError
from sqlalchemy import select

from oil_blends.documents.schemas import CHANGE_FIELDS, OilWriteSchema
from oil_blends.errors import error_page
from oil_blends.extensions import db, login_manager
from oil_blends.storage import editing
from oil_blends.storage.accounts import authenticate, end_sessions, has_role
from oil_blends.storage.models import Oil, OilRevision, PendingChange, User
from oil_blends.storage.oils import ENTRY_FIELDS, find_oil, oil_entry, source_entries
from oil_blends.web import present
from oil_blends.web.auth import SessionUser, editor_required, limit_login_attempts, safe_next, signed_in
from oil_blends.web.edit_forms import (
    RESERVED_SLUGS,
    LoginForm,
    OilForm,
    ReviewForm,
    field_words,
    form_data,
    form_entry,
    shown,
    source_choices,
)

bp = Blueprint("editing", __name__)

WRONG_LOGIN = "Wrong name or password."
MAX_COMMENT = 500


# ---- logging in and out --------------------------------------------------------------------------------------


def _home() -> str:
    return url_for("editing.review_queue")


@bp.route("/login", methods=["GET", "POST"])
@limit_login_attempts
def login():
    """The login form; a failed attempt says only that the name or password is wrong (a disabled account too)."""
    form = LoginForm()
    if request.method == "GET":
        target = safe_next(request.args.get("next"))
        if current_user.is_authenticated:
            return redirect(target or _home(), 303)
        form.next.data = target or ""
        return render_template("edit/login.html", form=form, error=None)
    user = authenticate((form.username.data or "").strip(), form.password.data or "")
    if user is None:
        return render_template("edit/login.html", form=form, error=WRONG_LOGIN)
    target = safe_next(form.next.data)
    session.clear()  # a fresh session (and CSRF token) for the signed-in user
    login_user(SessionUser(user))
    return redirect(target or _home(), 303)


FORM_WITHOUT_TOKEN = (
    "This form came without the token its page gives (the page may have been open too long, or come from another "
    "site), so nothing was done. Open the page again and send the form from there."
)


@bp.errorhandler(CSRFError)
def form_without_token(error: CSRFError):
    """A form refused by the CSRF check, in words: a signed-out person is asked to log in first (their session may
    have ended), and brought back to the page; anyone else is told to send the form again from its page."""
    if not current_user.is_authenticated and request.endpoint != "editing.login":
        return login_manager.unauthorized()
    return error_page(CSRFError(FORM_WITHOUT_TOKEN), title="The form was not sent")


@bp.post("/logout")
def logout():
    """Log out: this session and every other of the account end (a copied cookie no longer works)."""
    if current_user.is_authenticated:
        end_sessions(signed_in())
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("editing.login"), 303)


# ---- adding and editing an oil -------------------------------------------------------------------------------


@dataclass
class Checked:
    """A form's entry after validation: the entry and the change's note, or the errors next to their fields."""

    entry: dict[str, Any] | None
    source: str | None
    comment: str
    errors: dict[str, list[str]]
    form_errors: list[str]

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.form_errors)


def _messages(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def check_form(form: OilForm, entry: dict[str, Any], registry: Mapping[str, Any]) -> Checked:
    """Validate the entry and the change's note as the API does (``OilWriteSchema``, a source from the registry)."""
    source: str | None = (form.source.data or "").strip() or None
    comment: str = (form.comment.data or "").replace("\r\n", "\n").strip()
    errors: dict[str, list[str]] = {}
    form_errors: list[str] = []
    loaded: dict[str, Any] | None = None
    try:
        loaded = OilWriteSchema().load({**entry, "source": source, "comment": comment})
    except ValidationError as error:
        for name, value in error.normalized_messages().items():
            if name in form._fields:
                errors.setdefault(name, []).extend(_messages(value))
            else:
                form_errors.extend(_messages(value))
    if source is not None and source not in registry and "source" not in errors:
        errors["source"] = [f"unknown source key {source!r}: choose one from the list"]
    if loaded is not None:
        loaded = {name: value for name, value in loaded.items() if name not in CHANGE_FIELDS}
    return Checked(loaded, source, comment, errors, form_errors)


def _is_admin() -> bool:
    return current_user.is_authenticated and has_role(signed_in(), "admin")


def _labels(form: OilForm) -> dict[str, str]:
    return {name: field.label.text for name, field in form._fields.items()}


def _render_form(form: OilForm, *, oil: Mapping[str, Any] | None, status: int = 200, **context: Any):
    creating = oil is None
    action = url_for("editing.new_oil") if oil is None else url_for("editing.edit_oil", slug=oil["slug"])
    context.setdefault("errors", {})
    context.setdefault("form_errors", [])
    context.setdefault("stale", None)
    page = render_template(
        "edit/oil_form.html",
        form=form,
        oil=oil,
        creating=creating,
        action=action,
        labels=_labels(form),
        is_admin=_is_admin(),
        **context,
    )
    return page, status


def _held_message(change: PendingChange, creating: bool) -> Markup:
    """The message with a link to the pending change (Markup: its parts are escaped, the link is kept)."""
    text = (
        "Your new oil waits for an admin's review before it enters the catalog."
        if creating
        else "Your change to safety figures waits for an admin's review."
    )
    href = url_for("editing.change", change_id=change.id)
    return Markup('{} <a href="{}">See change #{}</a>').format(text, href, change.id)


def _refused(error: editing.EditError) -> str:
    message = str(error)
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


@bp.route("/oils/new", methods=["GET", "POST"])
@editor_required
def new_oil():
    """A new oil: in the catalog at once for an admin, waiting for review for an editor."""
    registry = source_entries()
    form = OilForm() if request.method == "POST" else OilForm(data={"kind": "essential"})
    form.source.choices = source_choices(registry)
    if request.method == "GET":
        return _render_form(form, oil=None)
    entry = form_entry(form)
    checked = check_form(form, entry, registry)
    user = signed_in()
    if entry["slug"] in RESERVED_SLUGS:
        checked.errors.setdefault("slug", []).append(f"{entry['slug']!r} is the address of this page: choose another")
    if not has_role(user, "admin") and checked.source is None and "source" not in checked.errors:
        checked.errors["source"] = ["a new oil from an editor must cite a source: choose one"]
    if checked.invalid or checked.entry is None:
        return _render_form(form, oil=None, status=422, errors=checked.errors, form_errors=checked.form_errors)
    try:
        outcome = editing.create_oil(checked.entry, user, checked.source or "", checked.comment)
    except editing.EditError as error:
        db.session.rollback()
        errors = {"slug": [_refused(error)]} if find_oil(entry["slug"]) is not None else {}
        form_errors = [] if errors else [_refused(error)]
        return _render_form(form, oil=None, status=error.status, errors=errors, form_errors=form_errors)
    if outcome.pending is not None:
        flash(_held_message(outcome.pending, creating=True), "held")
        return redirect(url_for("editing.change", change_id=outcome.pending.id), 303)
    flash(f"Saved: {checked.entry['name']} is in the catalog.", "success")
    return redirect(url_for("web.oil", slug=checked.entry["slug"]), 303)


def _latest_write(oil: Oil) -> OilRevision | None:
    """The revision that made the oil's current version (who saved it, when)."""
    return db.session.execute(
        select(OilRevision)
        .where(OilRevision.oil_slug == oil.slug, OilRevision.action.in_(("create", "update", "approve")))
        .order_by(OilRevision.created_at.desc(), OilRevision.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _stale(form: OilForm, yours: Mapping[str, Any], oil: Oil, unread: bool = False):
    """Another change was saved first (``unread``: the form did not say which version it was read at, so it may
    have been): both versions side by side, the typed input kept, the version moved on."""
    current = oil_entry(oil)
    form.version.data = str(oil.version)
    rows = []
    for name in ENTRY_FIELDS:
        mine, saved = shown(name, yours.get(name)), shown(name, current[name])
        rows.append({"label": field_words(name), "yours": mine, "saved": saved, "differs": mine != saved})
    stale = {"rows": rows, "latest": _latest_write(oil), "unread": unread}
    return _render_form(form, oil=current, status=400 if unread else 409, stale=stale)


@bp.route("/oils/<slug>/edit", methods=["GET", "POST"])
@editor_required
def edit_oil(slug: str):
    """Change an oil: saved at once, or held for an admin's review when an editor changes a safety figure."""
    oil = find_oil(slug)
    if oil is None:
        abort(404, description=f"There is no oil called {slug!r} in the catalog.")
    registry = source_entries()
    current = oil_entry(oil)
    if request.method == "GET":
        form = OilForm(data={**form_data(current), "version": str(oil.version)})
        form.source.choices = source_choices(registry)
        return _render_form(form, oil=current)
    form = OilForm()
    form.source.choices = source_choices(registry)
    entry = form_entry(form, slug=oil.slug, before=current)
    read_at = (form.version.data or "").strip()
    if read_at != str(oil.version):
        return _stale(form, entry, oil, unread=not (read_at.isascii() and read_at.isdecimal()))
    checked = check_form(form, entry, registry)
    user = signed_in()
    if checked.entry is not None and not has_role(user, "admin") and checked.source is None:
        changed = [name for name in ENTRY_FIELDS if checked.entry[name] != current[name]]
        if editing.safety_changes(dict.fromkeys(changed)) and "source" not in checked.errors:
            checked.errors["source"] = ["a change to a safety figure must cite a source: choose one"]
    if checked.invalid or checked.entry is None:
        return _render_form(form, oil=current, status=422, errors=checked.errors, form_errors=checked.form_errors)
    if checked.entry == current:
        flash("Nothing to save: the entry is as it was.", "info")
        return redirect(url_for("web.oil", slug=slug), 303)
    try:
        outcome = editing.update_oil(oil, checked.entry, user, checked.source, checked.comment)
    except editing.StaleEdit:  # another change was saved between our read and our write
        db.session.rollback()
        fresh = find_oil(slug)
        if fresh is None:
            abort(404, description=f"The oil {slug!r} was deleted while you were editing it.")
        return _stale(form, entry, fresh)
    except editing.EditError as error:
        db.session.rollback()
        return _render_form(form, oil=current, status=error.status, form_errors=[_refused(error)])
    if outcome.pending is not None:
        flash(_held_message(outcome.pending, creating=False), "held")
    else:
        flash(f"Saved: your change to {checked.entry['name']} is in the catalog.", "success")
    return redirect(url_for("web.oil", slug=slug), 303)


# ---- review --------------------------------------------------------------------------------------------------


def _source_link(oil_sources: list[str] | None = None, slug: str | None = None):
    """A cited source key as (link, words): the oil page's source list when it is there, else the source's URL."""
    registry = source_entries()

    def link(key: str) -> tuple[str | None, str]:
        source = registry.get(key) or {}
        words = f"{source['title']} ({key})" if source.get("title") else key
        if slug is not None and key in (oil_sources or []):
            return url_for("web.oil", slug=slug, _anchor=f"source-{key}"), words
        return present.web_address(source.get("url")), words

    return link


def _review_context(user: User) -> dict[str, Any]:
    return {
        "shown": shown,
        "field_words": field_words,
        "order": ENTRY_FIELDS,
        "source_link": _source_link(),
        "is_admin": has_role(user, "admin"),
        "user_id": user.id,
    }


def _review_form(change: PendingChange, user: User) -> ReviewForm | None:
    """An admin's form for a pending change by someone else (the storage layer refuses one's own)."""
    if change.status != "pending" or not has_role(user, "admin") or change.author_id == user.id:
        return None
    return ReviewForm(prefix=f"change-{change.id}")


@bp.get("/review")
@editor_required
def review_queue():
    """Every pending change for an admin, with Approve and Reject; an editor's own pending changes, to read."""
    user = signed_in()
    changes = editing.pending_changes()
    if not has_role(user, "admin"):
        changes = [change for change in changes if change.author_id == user.id]
    forms = {change.id: form for change in changes if (form := _review_form(change, user)) is not None}
    return render_template("edit/review.html", changes=changes, forms=forms, detail=None, **_review_context(user))


@bp.route("/review/<int:change_id>", methods=["GET", "POST"])
@editor_required
def change(change_id: int):
    """One change (pending or reviewed), for admins and its author; an admin approves or rejects it here."""
    user = signed_in()
    found = editing.find_pending(change_id)
    if found is None or not (has_role(user, "admin") or found.author_id == user.id):
        abort(404, description=f"There is no change #{change_id} for you to see.")
    if request.method == "POST":
        return _decide(found, user)
    form = _review_form(found, user)
    forms = {found.id: form} if form is not None else {}
    return render_template("edit/change.html", c=found, forms=forms, detail=found.id, **_review_context(user))


def _decide(found: PendingChange, user: User):
    if not has_role(user, "admin"):
        abort(403, description="Reviewing changes needs the admin role.")
    form = ReviewForm(prefix=f"change-{found.id}")
    comment = (form.comment.data or "").replace("\r\n", "\n").strip()
    back = url_for("editing.change", change_id=found.id)
    if len(comment) > MAX_COMMENT:
        flash(f"The comment is too long: use at most {MAX_COMMENT} characters.", "error")
        return redirect(back, 303)
    if not (form.approve.data or form.reject.data):
        flash("Choose Approve or Reject.", "error")
        return redirect(back, 303)
    name = found.entry.get("name") or found.oil_slug
    try:
        if form.approve.data:
            editing.approve(found, user, comment)
            flash(f"Approved change #{found.id}: {name} is updated in the catalog.", "success")
        else:
            editing.reject(found, user, comment)
            flash(f"Rejected change #{found.id} to {name}.", "success")
    except editing.EditError as error:
        db.session.rollback()
        flash(_refused(error), "error")
        return redirect(back, 303)
    return redirect(url_for("editing.review_queue"), 303)


# ---- history -------------------------------------------------------------------------------------------------

ACTION_WORDS = {
    "create": "Added the oil",
    "update": "Changed the oil",
    "delete": "Deleted the oil",
    "propose": "Proposed a change, for an admin's review",
    "approve": "Approved a proposed change",
    "reject": "Rejected a proposed change",
}


def action_words(revision: OilRevision) -> str:
    if revision.action == "propose" and revision.before is None:
        return "Proposed the oil, for an admin's review"
    return ACTION_WORDS.get(revision.action, revision.action.capitalize())


@bp.get("/oils/<slug>/history")
def history(slug: str):
    """Every revision of an oil, newest first, for everyone: who, when, why, and each field's old and new value."""
    revisions = list(
        db.session.execute(
            select(OilRevision)
            .where(OilRevision.oil_slug == slug)
            .order_by(OilRevision.created_at.desc(), OilRevision.id.desc())
        ).scalars()
    )
    oil = find_oil(slug)
    if oil is None and not revisions:
        abort(404, description=f"There is no oil called {slug!r} in the catalog.")
    entry = oil_entry(oil) if oil is not None else None
    named = next((r.after or r.before for r in revisions if r.after or r.before), None) or {}
    name = entry["name"] if entry is not None else named.get("name", slug)
    return render_template(
        "history.html",
        slug=slug,
        name=name,
        exists=entry is not None,
        revisions=revisions,
        action_words=action_words,
        shown=shown,
        field_words=field_words,
        order=ENTRY_FIELDS,
        source_link=_source_link(entry["sources"] if entry else None, slug if entry else None),
    )
