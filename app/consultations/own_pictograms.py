"""An organisation's own pictures for possible answers: a facilitator uploads a PNG or an SVG,
names it and says the words read in its place; the question editor then finds it by that name,
for that organisation only.

Nothing uploaded is ever served as it came. The type is decided by the first bytes (never the
file name or what the browser declared); the file size is limited before anything is read,
and a PNG's pixel count before it is decoded. An SVG is drawn by CairoSVG into a PNG with no
access to files or the network (its safe mode: XML entities refused, only data: URLs read; no
script runs, CairoSVG has no JavaScript); a PNG is decoded
by Pillow. Either way the picture is then written again by Pillow as a fresh PNG of at most
MAX_SIDE pixels, without any metadata, stored under UPLOAD_ROOT/pictograms/ with a random
name and served only as image/png."""

from __future__ import annotations

import io
import os
import re
import secrets
import tempfile
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import pictograms
from app.consultations.own_pictogram_models import OwnPictogram
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.permissions import require

MAX_BYTES = 1024 * 1024  # OWN_PICTOGRAM_MAX_BYTES in the app's config overrides it
MAX_PIXELS = 16_000_000  # declared by a PNG, checked before decoding
MAX_SIDE = 256  # the stored picture; shown at 48 px, printed at about 2 cm
PER_ORGANISATION = 300
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEY_RE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.png$")
NOT_A_PICTURE = _l("This file is not a picture. Send a PNG or SVG picture.")


def _max_bytes() -> int:
    return int(current_app.config.get("OWN_PICTOGRAM_MAX_BYTES", MAX_BYTES))


def root() -> Path:
    return Path(current_app.config["UPLOAD_ROOT"]) / "pictograms"


# Checking and drawing again ------------------------------------------------------------------


def _kind(data: bytes) -> str | None:
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))
        and b"<svg" in data[:4096].lower()
    ):
        return "svg"
    return None


def _svg_to_png(data: bytes) -> bytes:
    import cairosvg

    try:
        return cairosvg.svg2png(
            bytestring=data,
            unsafe=False,  # no entities, no file or web address read: only data: URLs
            output_width=MAX_SIDE,
        )
    except Exception:  # any parse, drawing or fetching error: not a picture we can use
        raise DomainError(NOT_A_PICTURE, field="picture") from None


def redraw(data: bytes) -> bytes:
    """The picture as a fresh PNG (RGBA, at most MAX_SIDE pixels a side, no metadata), or a
    DomainError with a plain message."""
    if not data:
        raise DomainError(_l("Choose a picture."), field="picture")
    if len(data) > _max_bytes():
        raise DomainError(
            _l(
                "This picture is too big. Send a picture smaller than %(size)s kilobytes.",
                size=_max_bytes() // 1024,
            ),
            field="picture",
        )
    kind = _kind(data)
    if kind is None:
        raise DomainError(NOT_A_PICTURE, field="picture")
    if kind == "svg":
        data = _svg_to_png(data)
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as img:
            width, height = img.size
            if width * height > MAX_PIXELS or not width or not height:
                raise DomainError(NOT_A_PICTURE, field="picture")
            img.load()
            picture = img.convert("RGBA")
    except DomainError:
        raise
    except Exception:
        raise DomainError(NOT_A_PICTURE, field="picture") from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Storage -------------------------------------------------------------------------------------


def _store(data: bytes) -> str:
    folder_root = root()
    folder_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    key = f"{name[:2]}/{name}.png"
    folder = folder_root / name[:2]
    folder.mkdir(mode=0o700, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, folder / f"{name}.png")
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return key


def file_of(picture: OwnPictogram) -> Path | None:
    if not KEY_RE.fullmatch(picture.storage_key or ""):
        return None
    found = root() / picture.storage_key
    return found if found.is_file() else None


# Services ------------------------------------------------------------------------------------


def upload(
    actor: Person, organisation: Organisation, title: str, alt: str, data: bytes
) -> OwnPictogram:
    """Check and redraw the picture, store it, and make it findable by `title` in the
    organisation's question editor."""
    require(actor, "consultations.manage_pictures", organisation)
    title, alt = " ".join((title or "").split()), " ".join((alt or "").split())
    if not title:
        raise DomainError(_l("Give the picture a name."), field="title")
    if not alt:
        raise DomainError(_l("Say what the picture shows."), field="alt")
    count = db.session.scalar(
        select(func.count(OwnPictogram.id)).where(OwnPictogram.organisation_id == organisation.id)
    )
    if (count or 0) >= PER_ORGANISATION:
        raise DomainError(
            _l("The organisation has %(n)s pictures. Remove one first.", n=PER_ORGANISATION),
            field="picture",
        )
    png = redraw(data)
    picture = OwnPictogram(
        organisation_id=organisation.id,
        title=title,
        alt=alt,
        storage_key=_store(png),
        uploaded_by_id=actor.id,
    )
    db.session.add(picture)
    db.session.flush()
    audit.record(actor, "consultation.pictogram_uploaded", picture, organisation_id=organisation.id)
    return picture


def remove(actor: Person, picture: OwnPictogram) -> None:
    """The picture is no longer offered; questions that use it keep their words."""
    organisation = db.session.get(Organisation, picture.organisation_id)
    require(actor, "consultations.manage_pictures", organisation)
    audit.record(
        actor, "consultation.pictogram_removed", picture, organisation_id=picture.organisation_id
    )
    found = file_of(picture)
    db.session.delete(picture)
    db.session.flush()
    if found is not None:
        found.unlink(missing_ok=True)


def of_organisation(organisation_id: int) -> list[OwnPictogram]:
    return list(
        db.session.scalars(
            select(OwnPictogram)
            .where(OwnPictogram.organisation_id == organisation_id)
            .order_by(OwnPictogram.title, OwnPictogram.id)
        )
    )


def by_name(name: str) -> OwnPictogram | None:
    """The picture "own-<id>", or None."""
    if not name.startswith(pictograms.OWN_PREFIX):
        return None
    number = name.removeprefix(pictograms.OWN_PREFIX)
    if not number.isdigit() or not has_app_context():
        return None
    return db.session.get(OwnPictogram, int(number))


def served(name: str) -> Path:
    """The PNG file of a picture, for its route."""
    picture = by_name(name)
    found = file_of(picture) if picture is not None else None
    if found is None:
        raise NotFound(_l("This page does not exist."))
    return found


# The catalogue's view of them ----------------------------------------------------------------


def _as_pictogram(picture: OwnPictogram) -> pictograms.Pictogram:
    return pictograms.Pictogram(picture.name, picture.alt, (picture.title, picture.alt), (), None)


def _own_pictures(organisation_id: int) -> list[pictograms.Pictogram]:
    if not has_app_context():
        return []
    return [_as_pictogram(p) for p in of_organisation(organisation_id)]


def _own_picture(name: str) -> pictograms.Pictogram | None:
    picture = by_name(name)
    return _as_pictogram(picture) if picture is not None else None


def _own_file(name: str) -> Path | None:
    picture = by_name(name)
    return file_of(picture) if picture is not None else None


def register() -> None:
    """Let the catalogue (pictograms.py, which knows no database) find these pictures."""
    pictograms.own_pictures = _own_pictures
    pictograms.own_picture = _own_picture
    pictograms.own_file = _own_file
