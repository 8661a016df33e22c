"""Receipts sent with expense requests: photos and PDFs from people's phones.

Everything that comes in is hostile until proven otherwise. The type is decided by the
first bytes only (never by the file name or the type the browser declared). Photos are
decoded and re-encoded as a fresh JPEG: orientation applied, transparency flattened on
white, at most MAX_SIDE pixels per side, and no metadata (EXIF, GPS, ICC, XMP, comments),
so that nothing hidden in or after the original picture survives. The pixel count the
header declares is checked before anything is decoded (a 40 KB PNG can declare 40 million
pixels), and the picture is shrunk as soon as it is decoded, so that one photo costs a
worker well under a second and a bounded amount of memory. PDFs cannot be re-drawn, so
they are checked instead (not encrypted, not too many pages, no JavaScript, actions, links,
forms or embedded files, not an HTML polyglot) and kept byte for byte.

Stored files get a random name under a root folder; the original name is never used.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf")
MAX_BYTES = 8 * 1024 * 1024
# Phone photos go up to about 24 megapixels (6000 x 4000); RECEIPT_MAX_PIXELS in config.py.
MAX_PIXELS = 24_000_000
MAX_SIDE = 2400
MAX_PDF_PAGES = 20
JPEG_QUALITY = 85

KEY_RE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.(jpg|pdf)$")

# The only Pillow plug-in tried for each sniffed type, and what Pillow must then report
# (MPO: a JPEG with several pictures inside, as many phones write them; the JPEG plug-in
# opens those too).
PILLOW_OPENERS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/heic": "HEIF",
}
PILLOW_FORMATS: dict[str, tuple[str, ...]] = {
    "image/jpeg": ("JPEG", "MPO"),
    "image/png": ("PNG",),
    "image/webp": ("WEBP",),
    "image/heic": ("HEIF",),
}
HEIF_BRANDS = frozenset({b"heic", b"heix", b"mif1", b"msf1", b"hevc"})
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# PDF names that run code, send data, open other files or web pages, or carry files. A PDF
# that uses any of them, as a key or as a value, anywhere, is refused: finance staff open
# these files, and a link in a "receipt" is a way to phish them.
ACTIVE_PDF_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "Launch",
        "AA",
        "URI",
        "Link",
        "EmbeddedFiles",
        "EmbeddedFile",
        "EF",
        "FileAttachment",
        "RichMedia",
        "RichMediaExecute",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
        "GoToR",
        "Rendition",
    }
)
# Opening the file may show a page ("/OpenAction [3 0 R /FitH null]", as fpdf2 and many
# tools write it): harmless. An action there (a dictionary: web page, script, "go to") is not.
OPEN_ACTION = "OpenAction"
_ACTIVE_PDF_NAMES_BYTES = frozenset(name.encode() for name in ACTIVE_PDF_NAMES)
# A PDF name runs from "/" to the next white-space or delimiter character.
_PDF_NAME_RE = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_PDF_NAME_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
_POLYGLOT_RE = re.compile(rb"<(?:html|script)", re.IGNORECASE)
# Acrobat's rule: the end-of-file marker must be in the last 1024 bytes.
PDF_EOF_WINDOW = 1024
# Upper bound on the PDF objects looked at, so that a crafted file cannot keep us busy.
MAX_PDF_NODES = 500_000

MESSAGES: dict[str, Any] = {
    "empty": _l("This file is empty. Send the photo or the PDF again."),
    "type": _l("This file is not a photo or a PDF. Send a photo (JPEG, PNG, WebP, HEIC) or a PDF."),
    "too_many_pixels": _l("This photo is too big. Take a new photo or send a smaller one."),
    "damaged": _l(
        "This file is damaged. We cannot open it. Take a new photo or send the file again."
    ),
    "pdf_active": _l("This PDF contains links or actions. Send a photo or a simple PDF (scanned)."),
    "pdf_encrypted": _l(
        "This PDF is protected by a password. Send a PDF without a password, or a photo of the receipt."
    ),
}


class ReceiptRejected(DomainError):
    """The file is not accepted as a receipt. `message` is for the person; `reason` is a
    machine code for tests and logs: empty, too_big, type, too_many_pixels, damaged,
    pdf_active, pdf_encrypted."""

    def __init__(self, message: Any, reason: str) -> None:
        super().__init__(message, field="receipt")
        self.reason = reason


def _rejected(reason: str, message: Any = None) -> ReceiptRejected:
    return ReceiptRejected(message if message is not None else MESSAGES[reason], reason)


@dataclass(frozen=True)
class CleanReceipt:
    data: bytes
    mime: str
    extension: str
    pages: int
    sha256: str


def sniff(data: bytes) -> str | None:
    """The receipt type from the first bytes only, or None when it is not one we take."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == PNG_SIGNATURE:
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "image/heic"
    if data[:5] == b"%PDF-":
        return "application/pdf"
    return None


def clean(
    data: bytes,
    filename: str = "",
    declared_type: str = "",
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> CleanReceipt:
    """Check a received file and return what may be stored, or raise ReceiptRejected.

    `filename` and `declared_type` come from the sender and are deliberately ignored."""
    if not data:
        raise _rejected("empty")
    if len(data) > max_bytes:
        raise _rejected(
            "too_big",
            _l(
                "This file is too big. The limit is %(mb)s MB. Send a smaller photo or file.",
                mb=_megabytes(max_bytes),
            ),
        )
    mime = sniff(data)
    if mime is None:
        raise _rejected("type")
    if mime == "application/pdf":
        return _clean_pdf(data)
    return _clean_image(data, mime, max_pixels)


def _megabytes(size: int) -> str:
    value = max(size / (1024 * 1024), 0.1)
    return f"{value:.1f}".removesuffix(".0")


def _receipt(data: bytes, mime: str, extension: str, pages: int) -> CleanReceipt:
    return CleanReceipt(
        data=data,
        mime=mime,
        extension=extension,
        pages=pages,
        sha256=hashlib.sha256(data).hexdigest(),
    )


# Images ---------------------------------------------------------------------------------


@functools.cache
def _heif_ready() -> bool:
    """Teach Pillow to open HEIC photos (iPhones), once."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    return True


def _clean_image(data: bytes, mime: str, max_pixels: int = MAX_PIXELS) -> CleanReceipt:
    from PIL import Image

    _heif_ready()
    # Pillow's own guard, at our limit: it warns above it (made an error below) and refuses
    # outright above twice it, when the header is read, before any decoding.
    if max_pixels != Image.MAX_IMAGE_PIXELS:
        Image.MAX_IMAGE_PIXELS = max_pixels
    formats = PILLOW_FORMATS[mime]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=[PILLOW_OPENERS[mime]])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _rejected("too_many_pixels") from exc
        except Exception as exc:
            raise _rejected("damaged") from exc
        with img:
            if img.format not in formats:
                raise _rejected("type")
            width, height = img.size
            if width <= 0 or height <= 0:
                raise _rejected("damaged")
            # Open is lazy: the size comes from the header, nothing is decoded yet.
            if width * height > max_pixels:
                raise _rejected("too_many_pixels")
            if img.format in ("JPEG", "MPO"):
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that is still big enough.
                img.draft("RGB", (MAX_SIDE, MAX_SIDE))
            try:
                img.load()
                # Shrink first (in place: the full-size copy is freed at once), then turn
                # and convert the small picture, not the big one.
                if img.mode not in ("1", "P") and max(img.size) > MAX_SIDE:
                    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                picture = _upright(img)
                picture = _to_rgb(picture)
                picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                # A brand-new image carries no info dict: no EXIF, ICC, XMP or comment.
                fresh = Image.new("RGB", picture.size, (255, 255, 255))
                fresh.paste(picture)
                out = io.BytesIO()
                fresh.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"")
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise _rejected("too_many_pixels") from exc
            except Exception as exc:
                raise _rejected("damaged") from exc
    return _receipt(out.getvalue(), "image/jpeg", ".jpg", 1)


def _upright(img: Any) -> Any:
    """Apply the EXIF orientation; a broken EXIF block does not make the photo unusable."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(img)
    except Exception:
        return img


def _to_rgb(img: Any) -> Any:
    from PIL import Image

    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit greyscale: scale to 8 bits instead of clipping everything to white.
        img = img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


# PDFs -----------------------------------------------------------------------------------


def _clean_pdf(data: bytes) -> CleanReceipt:
    if _POLYGLOT_RE.search(data):
        raise _rejected("pdf_active")
    if _has_active_name(data):
        raise _rejected("pdf_active")
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise _rejected("damaged")

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise _rejected("damaged") from exc
    if encrypted:
        raise _rejected("pdf_encrypted")
    try:
        pages = len(reader.pages)
        active = _has_active_object(reader)
    except Exception as exc:
        raise _rejected("damaged") from exc
    if pages < 1:
        raise _rejected("damaged")
    if pages > MAX_PDF_PAGES:
        raise _rejected(
            "too_big",
            _l("This PDF has too many pages. The limit is %(n)s pages.", n=MAX_PDF_PAGES),
        )
    if active:
        raise _rejected("pdf_active")
    return _receipt(data, "application/pdf", ".pdf", pages)


def _has_active_name(data: bytes) -> bool:
    """Look for active PDF names in the raw bytes, with #xx escapes decoded (/J#61vaScript)."""
    for match in _PDF_NAME_RE.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_NAME_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        if name in _ACTIVE_PDF_NAMES_BYTES:
            return True
    return False


def _has_active_object(reader: Any) -> bool:
    """Walk every object reachable from the trailer (catalogue, pages, annotations, forms,
    name trees, also those inside compressed object streams) looking for active names."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > MAX_PDF_NODES:
            raise ValueError("too many PDF objects")
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            stack.append(node.get_object())
        elif isinstance(node, DictionaryObject):
            for key, value in node.items():
                name = str(key).removeprefix("/")
                if name in ACTIVE_PDF_NAMES:
                    return True
                if name == OPEN_ACTION and isinstance(value.get_object(), DictionaryObject):
                    return True
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, NameObject) and str(node).removeprefix("/") in ACTIVE_PDF_NAMES:
            return True
    return False


# Storage --------------------------------------------------------------------------------


def store(root: Path, receipt: CleanReceipt) -> str:
    """Write the receipt under a random name and return its storage key ("ab/<32 hex>.jpg").

    Folders are private to the application (0700), files too (0600); the file appears
    complete or not at all."""
    _private_folder(root)
    base = root.resolve()
    while True:
        name = secrets.token_hex(16)
        key = f"{name[:2]}/{name}{receipt.extension}"
        if not KEY_RE.fullmatch(key):
            raise ValueError(f"unexpected receipt extension {receipt.extension!r}")
        folder = root / name[:2]
        folder.mkdir(mode=0o700, exist_ok=True)
        target = folder / f"{name}{receipt.extension}"
        if not target.resolve().is_relative_to(base):
            raise ValueError("receipt storage path escapes the root folder")
        if not target.exists():
            break
    handle, partial = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(receipt.data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return key


def _private_folder(folder: Path) -> None:
    """Make `folder` and the missing folders above it, each 0700 (mkdir's `parents` would
    give the upper ones the default mode, often 0755); tighten `folder` if it is looser."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
    top = missing[0] if missing else folder
    if top.stat().st_mode & 0o077:
        top.chmod(0o700)


def path_for(root: Path, key: str) -> Path:
    """The file of a storage key; ValueError when the key is not one that store() makes."""
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise ValueError("invalid receipt key")
    path = root / key
    if not path.resolve().is_relative_to(root.resolve()):
        raise ValueError("receipt path escapes the root folder")
    return path


def delete(root: Path, key: str) -> None:
    """Remove a stored receipt; a file that is already gone is fine."""
    path_for(root, key).unlink(missing_ok=True)
