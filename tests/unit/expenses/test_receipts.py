"""Receipts: a generated corpus of hostile files, each refused or neutralised, plus the
accepted everyday cases (phone photos, PDFs) and the storage rules.

Every file is built here with Pillow, pillow-heif, fpdf2, pypdf or plain bytes: nothing
is downloaded and nothing is read from the checkout."""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel
from fpdf import FPDF
from PIL import ExifTags, Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.core.errors import DomainError
from app.expenses import receipts
from app.expenses.receipts import (
    KEY_RE,
    MAX_PDF_PAGES,
    MAX_PIXELS,
    MAX_SIDE,
    CleanReceipt,
    ReceiptRejected,
    clean,
    delete,
    path_for,
    sniff,
    store,
)
from tests import figures

# Builders: images -----------------------------------------------------------------------


def receipt_picture(size: tuple[int, int] = (320, 240), mode: str = "RGB") -> Image.Image:
    """Something that looks like a photographed till receipt: lines of text and a total."""
    img = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(img)
    for row, line in enumerate(["BAKERY", "Bread   2.10", "Coffee  1.80", "TOTAL   3.90"]):
        draw.text((10, 10 + row * 20), line, fill=(20, 20, 20))
    draw.rectangle((5, 5, size[0] - 6, size[1] - 6), outline=(120, 0, 0))
    return img.convert(mode) if mode != "RGB" else img


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (320, 240), **params: object) -> bytes:
    return encode(receipt_picture(size), "JPEG", quality=90, **params)


def png(size: tuple[int, int] = (320, 240), **params: object) -> bytes:
    return encode(receipt_picture(size), "PNG", **params)


def webp(size: tuple[int, int] = (320, 240), **params: object) -> bytes:
    return encode(receipt_picture(size), "WEBP", **params)


def heic(size: tuple[int, int] = (320, 240), **params: object) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return encode(receipt_picture(size), "HEIF", quality=80, **params)


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Old Phone 3"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 7.0)
    return exif


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int = 20_000) -> bytes:
    """A real, valid 1-bit PNG of side x side white pixels: tiny file, huge picture."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        receipts.PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def png_solid(side: int = 6320) -> bytes:
    """A real PNG of one colour: a few hundred KB on the wire, 40 million pixels once decoded
    (the audit's 6320 x 6320 file that held a worker for seconds and hundreds of MB)."""
    return encode(Image.new("RGB", (side, side), (250, 248, 240)), "PNG")


def png_declaring(width: int, height: int) -> bytes:
    """A hand-made PNG whose IHDR declares width x height but whose pixel data is garbage:
    decoding it would fail as "damaged", so a "too many pixels" answer proves that nothing
    was decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        receipts.PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", b"not deflate data at all")
        + png_chunk(b"IEND", b"")
    )


def png_text_bomb() -> bytes:
    """A small PNG whose compressed text chunk inflates to 50 MB."""
    data = png((40, 40))
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 50_000_000, 9))
    return data[:33] + bomb + data[33:]


def png_broken_idat() -> bytes:
    data = png((40, 40))
    start = data.index(b"IDAT") + 4
    body = bytes(b ^ 0x5A for b in data[start : start + 30])
    broken = data[:start] + body + data[start + 30 :]
    return broken


def jpeg_with_dimensions(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims another size."""
    data = bytearray(jpeg((64, 48)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_bomb() -> bytes:
    """A lossless WebP whose header claims 16384 x 16384 pixels."""
    data = bytearray(encode(Image.new("RGB", (1, 1), "white"), "WEBP", lossless=True))
    vp8l = data.index(b"VP8L")
    header = vp8l + 8  # chunk id + size, then 0x2f signature, then 4 bytes of size bits
    assert data[header] == 0x2F
    bits = struct.unpack("<I", data[header + 1 : header + 5])[0]
    bits |= (1 << 28) - 1
    data[header + 1 : header + 5] = struct.pack("<I", bits)
    return bytes(data)


def zip_archive(html: bool = True) -> bytes:
    """A Java archive-like zip (GIFAR style); 4 KB of stored bytes make it longer than the
    1 KB at the end of a PDF where the end-of-file marker must be."""
    import zipfile

    filler = b"".join(hashlib.sha256(bytes([n])).digest() for n in range(128))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.class", b"\xca\xfe\xba\xbe" + filler)
        if html:
            archive.writestr("index.html", "<html><script>alert(1)</script></html>")
    return out.getvalue()


def icc_srgb() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


# Builders: PDFs -------------------------------------------------------------------------


def fpdf_pdf(pages: int = 1, text: str = "Train ticket - 12.50 EUR") -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"{text} (page {number + 1})")
    return bytes(pdf.output())


def with_writer(change: Callable[[PdfWriter], None], base: bytes | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base or fpdf_pdf())))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries: object) -> DictionaryObject:
    result = DictionaryObject({NameObject("/S"): NameObject(f"/{kind}")})
    for key, value in entries.items():
        result[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return result


def open_action(act: DictionaryObject) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = act

    return change


def link_annotation(act: DictionaryObject, subtype: str = "Link") -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject(f"/{subtype}"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 40)]),
                NameObject("/A"): act,
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return change


def page_additional_action(writer: PdfWriter) -> None:
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("JavaScript", JS=TextStringObject("app.alert(1)"))}
    )


def document_javascript(writer: PdfWriter) -> None:
    """Document-level JavaScript, run when the file opens (the /Names /JavaScript tree)."""
    script = writer._add_object(action("JavaScript", JS=TextStringObject("app.alert('hi');")))
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("start"), script])}
            )
        }
    )


def xfa_form(writer: PdfWriter) -> None:
    stream = DecodedStreamObject()
    stream.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): writer._add_object(stream),
        }
    )


def rich_media(writer: PdfWriter) -> None:
    link_annotation(action("GoTo", D=ArrayObject([NumberObject(0)])), subtype="RichMedia")(writer)


def file_attachment_annotation(writer: PdfWriter) -> None:
    link_annotation(action("GoTo", D=ArrayObject([NumberObject(0)])), "FileAttachment")(writer)


def encrypted(user_password: str, algorithm: str) -> bytes:
    return with_writer(
        lambda w: w.encrypt(
            user_password=user_password, owner_password="owner-secret", algorithm=algorithm
        )
    )


def raw_pdf(catalog_extra: bytes = b"", page_extra: bytes = b"", tail: bytes = b"") -> bytes:
    """A hand-written one-page PDF with a correct cross-reference table."""
    content = b"0 0 m 100 100 l S"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        + page_extra
        + b" >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 5))
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out) + tail


def fpdf_pdf_with_link() -> bytes:
    """A PDF as a web shop makes it: a line of text that is a clickable web link."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    pdf.add_page()
    pdf.cell(text="Pay the rest here", link="https://pay.evil.test/invoice")
    return bytes(pdf.output())


def pdf_with_object_stream_javascript(
    hidden: bytes = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
) -> bytes:
    """An action hidden in a compressed object stream: invisible in the raw bytes, only
    the parsed object walk can see it."""
    content = b"0 0 m 100 100 l S"
    header = b"5 0 "
    packed = zlib.compress(header + hidden)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        6: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[7] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3, 4)]
    rows += [struct.pack(">BIH", 2, 6, 0)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (6, 7)]
    table = b"".join(rows)
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[7]
    data = bytes(out)
    assert b"JavaScript" not in data and b"/JS" not in data and b"/URI" not in data
    return data


def insert_after_header(pdf: bytes, payload: bytes) -> bytes:
    end = pdf.index(b"\n") + 1
    return pdf[:end] + payload + pdf[end:]


# The corpus -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    reason: str | None  # None: accepted, and the output must be a clean JPEG
    filename: str = "receipt.jpg"
    declared_type: str = "image/jpeg"
    max_bytes: int = receipts.MAX_BYTES


HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin').then(alert)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
JS_PAYLOAD = b"<html><script>alert(document.domain)</script></html>"

CORPUS: dict[str, Case] = {
    # Not a photo or a PDF at all, whatever the name or declared type says.
    "html_named_jpg": Case(lambda: HTML, "type"),
    "html_declared_image_jpeg": Case(lambda: HTML, "type", "ticket.jpeg", "image/jpeg"),
    "svg_script_named_png": Case(lambda: SVG, "type", "receipt.png", "image/png"),
    "svg_script_named_svg": Case(lambda: SVG, "type", "receipt.svg", "image/svg+xml"),
    "gif": Case(lambda: encode(receipt_picture(), "GIF"), "type", "r.gif", "image/gif"),
    "gif_javascript_polyglot": Case(lambda: b"GIF89a/*\x01\x00\x01\x00*/=alert(1);//", "type"),
    "bmp": Case(lambda: encode(receipt_picture(), "BMP"), "type", "r.bmp", "image/bmp"),
    "tiff": Case(lambda: encode(receipt_picture(), "TIFF"), "type", "r.tif", "image/tiff"),
    "ico": Case(lambda: encode(receipt_picture((32, 32)), "ICO"), "type", "r.ico"),
    "avif": Case(lambda: encode(receipt_picture(), "AVIF"), "type", "r.avif", "image/avif"),
    "html_then_pdf": Case(lambda: HTML + b"\n" + fpdf_pdf(), "type", "r.pdf", "application/pdf"),
    "utf8_bom_then_jpeg": Case(lambda: b"\xef\xbb\xbf" + jpeg(), "type"),
    "text_file": Case(lambda: b"Train Paris-Lyon 45 EUR\n", "type", "r.txt", "text/plain"),
    "exe_mz_header": Case(lambda: b"MZ\x90\x00\x03" + b"\x00" * 200 + b"PE\x00\x00", "type"),
    "elf_header": Case(lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "type", "r.jpg"),
    "php_named_jpg": Case(lambda: b"<?php system($_GET['c']); ?>", "type", "shell.php.jpg"),
    "shell_script": Case(lambda: b"#!/bin/sh\nrm -rf ~\n", "type", "r.jpg"),
    "zip_archive": Case(zip_archive, "type", "r.zip", "application/zip"),
    "mp4_video": Case(lambda: b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "type"),
    "riff_wave_audio": Case(lambda: b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40, "type"),
    # Size.
    "zero_bytes": Case(lambda: b"", "empty"),
    "one_byte_over_limit": Case(
        lambda: b"\xff\xd8\xff\xe0" + b"\x00" * (50_000 - 3), "too_big", max_bytes=50_000
    ),
    "pdf_25_pages": Case(lambda: fpdf_pdf(pages=25), "too_big", "r.pdf", "application/pdf"),
    # Decompression bombs and lying headers.
    "png_bomb_20000x20000": Case(png_bomb, "too_many_pixels", "r.png", "image/png"),
    "jpeg_header_65000x65000": Case(
        lambda: jpeg_with_dimensions(65_000, 65_000), "too_many_pixels"
    ),
    "jpeg_header_8000x6000": Case(lambda: jpeg_with_dimensions(8000, 6000), "too_many_pixels"),
    "webp_header_16384x16384": Case(webp_bomb, "too_many_pixels", "r.webp", "image/webp"),
    "png_solid_6320x6320": Case(png_solid, "too_many_pixels", "r.png", "image/png"),
    "png_ihdr_100000x100000": Case(
        lambda: png_declaring(100_000, 100_000), "too_many_pixels", "r.png", "image/png"
    ),
    "png_ihdr_just_over_24_megapixels": Case(
        lambda: png_declaring(6001, 4000), "too_many_pixels", "r.png", "image/png"
    ),
    # Damaged or not what the first bytes claim.
    "truncated_jpeg_200_bytes": Case(lambda: jpeg()[:200], "damaged"),
    "truncated_png": Case(lambda: png()[: len(png()) // 2], "damaged", "r.png", "image/png"),
    "truncated_webp": Case(lambda: webp()[: len(webp()) // 2], "damaged", "r.webp"),
    "truncated_heic": Case(lambda: heic()[:200], "damaged", "r.heic", "image/heic"),
    "truncated_pdf": Case(lambda: fpdf_pdf()[: len(fpdf_pdf()) // 2], "damaged", "r.pdf"),
    "jpeg_magic_then_garbage": Case(lambda: b"\xff\xd8\xff" + b"A" * 500, "damaged"),
    "png_signature_then_garbage": Case(lambda: receipts.PNG_SIGNATURE + b"B" * 500, "damaged"),
    "png_corrupt_image_data": Case(png_broken_idat, "damaged", "r.png"),
    "png_text_chunk_bomb": Case(png_text_bomb, "damaged", "r.png"),
    "webp_riff_then_garbage": Case(lambda: b"RIFF\x00\x10\x00\x00WEBPVP8 " + b"C" * 500, "damaged"),
    "heic_ftyp_then_garbage": Case(lambda: b"\x00\x00\x00\x18ftypheic" + b"D" * 500, "damaged"),
    "jpeg_header_png_body": Case(lambda: b"\xff\xd8\xff" + png(), "damaged"),
    "pdf_with_html_zip_appended": Case(lambda: fpdf_pdf() + zip_archive(), "pdf_active", "r.pdf"),
    "pdf_header_then_garbage": Case(lambda: b"%PDF-1.7\n" + b"E" * 500 + b"\n%%EOF\n", "damaged"),
    "pdf_with_zip_appended": Case(lambda: fpdf_pdf() + zip_archive(html=False), "damaged", "r.pdf"),
    # PDFs with active content.
    "pdf_openaction_javascript": Case(
        lambda: with_writer(open_action(action("JavaScript", JS=TextStringObject("app.alert(1)")))),
        "pdf_active",
    ),
    "pdf_openaction_launch": Case(
        lambda: with_writer(open_action(action("Launch", F=TextStringObject("calc.exe")))),
        "pdf_active",
    ),
    "pdf_document_javascript": Case(lambda: with_writer(document_javascript), "pdf_active"),
    "pdf_embedded_file": Case(
        lambda: with_writer(lambda w: w.add_attachment("invoice.exe", b"MZ\x90\x00")),
        "pdf_active",
    ),
    "pdf_page_additional_action": Case(lambda: with_writer(page_additional_action), "pdf_active"),
    "pdf_link_submitform": Case(
        lambda: with_writer(link_annotation(action("SubmitForm", F=TextStringObject("http://x")))),
        "pdf_active",
    ),
    "pdf_link_importdata": Case(
        lambda: with_writer(link_annotation(action("ImportData", F=TextStringObject("d.fdf")))),
        "pdf_active",
    ),
    "pdf_link_gotoe": Case(
        lambda: with_writer(link_annotation(action("GoToE", NewWindow=NumberObject(1)))),
        "pdf_active",
    ),
    "pdf_link_gotor_unc_path": Case(
        lambda: with_writer(link_annotation(action("GoToR", F=TextStringObject(r"\\evil\share")))),
        "pdf_active",
    ),
    "pdf_richmedia_annotation": Case(lambda: with_writer(rich_media), "pdf_active"),
    "pdf_file_attachment_annotation": Case(
        lambda: with_writer(file_attachment_annotation), "pdf_active"
    ),
    "pdf_xfa_form": Case(lambda: with_writer(xfa_form), "pdf_active"),
    # Links and actions: a "receipt" that sends finance staff to a web page.
    "pdf_openaction_uri": Case(
        lambda: with_writer(open_action(action("URI", URI=TextStringObject("https://evil.test")))),
        "pdf_active",
    ),
    "pdf_openaction_goto_page": Case(
        lambda: with_writer(
            open_action(action("GoTo", D=ArrayObject([NumberObject(0), NameObject("/Fit")])))
        ),
        "pdf_active",
    ),
    "pdf_link_annotation_uri": Case(
        lambda: with_writer(link_annotation(action("URI", URI=TextStringObject("https://x.test")))),
        "pdf_active",
    ),
    "pdf_link_annotation_internal": Case(
        lambda: with_writer(
            link_annotation(action("GoTo", D=ArrayObject([NumberObject(0), NameObject("/Fit")])))
        ),
        "pdf_active",
    ),
    "pdf_fpdf2_web_link": Case(fpdf_pdf_with_link, "pdf_active"),
    "pdf_raw_hex_escaped_uri": Case(
        lambda: raw_pdf(
            page_extra=b"/Annots [<< /Type /Annot /Subtype /L#69nk /Rect [0 0 9 9] "
            b"/A << /S /#55RI /#55RI (https://evil.test) >> >>]"
        ),
        "pdf_active",
    ),
    "pdf_uri_in_object_stream": Case(
        lambda: pdf_with_object_stream_javascript(b"<< /S /URI /URI (https://evil.test) >>"),
        "pdf_active",
    ),
    "pdf_raw_openaction_javascript": Case(
        lambda: raw_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"), "pdf_active"
    ),
    "pdf_raw_hex_escaped_javascript": Case(
        lambda: raw_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        "pdf_active",
    ),
    "pdf_raw_page_aa_launch": Case(
        lambda: raw_pdf(page_extra=b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"), "pdf_active"
    ),
    "pdf_javascript_in_object_stream": Case(pdf_with_object_stream_javascript, "pdf_active"),
    "pdf_script_tag_in_comment": Case(
        lambda: insert_after_header(fpdf_pdf(), b"%<script>alert(1)</script>\n"), "pdf_active"
    ),
    "pdf_html_polyglot_tail": Case(lambda: raw_pdf(tail=b"%<HTML><body>hi</body>\n"), "pdf_active"),
    # Encrypted PDFs (even with an empty password to open them).
    "pdf_encrypted_aes_password": Case(lambda: encrypted("secret", "AES-128"), "pdf_encrypted"),
    "pdf_encrypted_empty_user_password": Case(lambda: encrypted("", "RC4-128"), "pdf_encrypted"),
    # Neutralised: accepted, but only a freshly encoded JPEG comes out.
    "jpeg_with_html_after_end_marker": Case(lambda: jpeg() + JS_PAYLOAD, None),
    "jpeg_with_php_after_end_marker": Case(lambda: jpeg() + b"<?php eval($_POST[1]); ?>", None),
    "png_with_zip_appended": Case(lambda: png() + zip_archive(), None, "r.png", "image/png"),
    "gifar_like_jpeg_plus_zip": Case(lambda: jpeg() + zip_archive(), None, "r.jpg"),
    "webp_with_html_appended": Case(lambda: webp() + JS_PAYLOAD, None, "r.webp"),
    "jpeg_with_gps_exif": Case(lambda: jpeg(exif=gps_exif()), None),
    "jpeg_with_script_in_comment_and_xmp": Case(
        lambda: jpeg(comment=JS_PAYLOAD, xmp=b"<x:xmpmeta>" + JS_PAYLOAD + b"</x:xmpmeta>"), None
    ),
    "jpeg_with_icc_profile": Case(lambda: jpeg(icc_profile=icc_srgb()), None),
    "png_with_script_in_text_chunk": Case(
        lambda: png(pnginfo=_png_text(JS_PAYLOAD.decode())), None, "r.png"
    ),
    "webp_with_gps_exif": Case(lambda: webp(exif=gps_exif()), None, "r.webp"),
    "heic_with_gps_exif": Case(lambda: heic(exif=gps_exif()), None, "r.heic", "image/heic"),
    "filename_traversal": Case(lambda: jpeg(), None, "../../etc/passwd.jpg"),
    "filename_with_nul": Case(lambda: jpeg(), None, "a\x00.jpg"),
    "filename_windows_traversal": Case(lambda: jpeg(), None, "..\\..\\windows\\win.ini.jpg"),
    "jpeg_declared_text_html": Case(lambda: jpeg(), None, "receipt.html", "text/html"),
}


def _png_text(text: str) -> PngInfo:
    info = PngInfo()
    info.add_text("Comment", text)
    info.add_text("Author", text, zip=True)
    return info


def assert_clean_jpeg(out: CleanReceipt) -> Image.Image:
    """The output is a plain JPEG and nothing else: no metadata, nothing after the picture."""
    assert out.mime == "image/jpeg"
    assert out.extension == ".jpg"
    assert out.pages == 1
    assert out.sha256 == hashlib.sha256(out.data).hexdigest()
    assert sniff(out.data) == "image/jpeg"
    assert out.data.endswith(b"\xff\xd9")
    lowered = out.data.lower()
    for payload in (b"<script", b"<html", b"<?php", b"<x:xmpmeta"):
        assert payload not in lowered
    for marker in (b"PK\x03\x04", b"Exif\x00\x00", b"ICC_PROFILE", b"http://ns.adobe.com/xap"):
        assert marker not in out.data
    img = Image.open(io.BytesIO(out.data))
    img.load()
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert not img.getexif()
    assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for key in ("exif", "icc_profile", "xmp", "comment"):
        assert key not in img.info
    assert max(img.size) <= MAX_SIDE
    return img


def test_corpus_is_big_enough():
    assert len(CORPUS) >= 40
    assert sum(case.reason is not None for case in CORPUS.values()) >= 40


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_file_is_refused_or_neutralised(name: str) -> None:
    case = CORPUS[name]
    data = case.build()
    if case.reason is None:
        out = clean(data, case.filename, case.declared_type, max_bytes=case.max_bytes)
        assert_clean_jpeg(out)
        assert out.data != data
    else:
        with pytest.raises(ReceiptRejected) as caught:
            clean(data, case.filename, case.declared_type, max_bytes=case.max_bytes)
        assert caught.value.reason == case.reason
        assert caught.value.field == "receipt"
        assert isinstance(caught.value, DomainError)
    figures.add("uploads: hostile files")


# Everyday receipts ----------------------------------------------------------------------


def test_jpeg_gps_is_really_there_before_cleaning():
    """The GPS test above means something: the input does carry a position."""
    with Image.open(io.BytesIO(jpeg(exif=gps_exif()))) as img:
        assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_plain_jpeg_is_reencoded():
    out = clean(jpeg())
    img = assert_clean_jpeg(out)
    assert img.size == (320, 240)


def test_webp_becomes_jpeg():
    out = clean(webp(), "photo.webp", "image/webp")
    assert assert_clean_jpeg(out).size == (320, 240)


def test_lossless_webp_with_alpha_becomes_jpeg():
    picture = receipt_picture(mode="RGBA")
    out = clean(encode(picture, "WEBP", lossless=True))
    assert_clean_jpeg(out)


def test_heic_from_a_phone_becomes_jpeg():
    try:
        data = heic()
    except (OSError, ValueError, KeyError) as exc:  # pragma: no cover - depends on the build
        pytest.skip(reason=f"pillow-heif cannot encode HEIC here: {exc}")
    assert sniff(data) == "image/heic"
    out = clean(data, "IMG_0001.HEIC", "image/heic")
    assert assert_clean_jpeg(out).size == (320, 240)


def test_png_alpha_is_flattened_on_white():
    picture = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    picture.paste((200, 0, 0, 255), (0, 0, 25, 50))
    out = clean(encode(picture, "PNG"), "r.png", "image/png")
    img = assert_clean_jpeg(out)
    assert all(channel > 240 for channel in img.getpixel((40, 25)))  # transparent -> white
    red, green, blue = img.getpixel((10, 25))
    assert red > 150 and green < 60 and blue < 60


def test_palette_png_with_transparency_is_flattened_on_white():
    picture = Image.new("P", (40, 40), 0)
    picture.putpalette([0, 0, 0, 0, 0, 255] + [0] * (256 * 3 - 6))
    picture.paste(1, (0, 0, 20, 40))
    out = clean(encode(picture, "PNG", transparency=0))
    img = assert_clean_jpeg(out)
    assert all(channel > 240 for channel in img.getpixel((30, 20)))
    assert img.getpixel((10, 20))[2] > 200


def test_16_bit_greyscale_png_keeps_its_greys():
    picture = Image.new("I;16", (40, 40), 32768)
    out = clean(encode(picture, "PNG"))
    img = assert_clean_jpeg(out)
    assert 110 < img.getpixel((20, 20))[0] < 145


def test_multi_picture_jpeg_from_a_phone_is_accepted():
    """Many phones write MPO: a JPEG with a second picture inside; Pillow calls it MPO."""
    data = encode(receipt_picture(), "MPO", save_all=True, append_images=[receipt_picture()])
    assert sniff(data) == "image/jpeg"
    with Image.open(io.BytesIO(data)) as original:
        assert original.format == "MPO"
    assert assert_clean_jpeg(clean(data)).size == (320, 240)


def test_cmyk_jpeg_becomes_rgb():
    out = clean(encode(receipt_picture().convert("CMYK"), "JPEG"))
    assert_clean_jpeg(out)


def test_exif_orientation_is_applied_then_removed():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotated 90 degrees, as phones write it
    out = clean(jpeg((300, 100), exif=exif))
    assert assert_clean_jpeg(out).size == (100, 300)


def test_long_thin_image_is_downscaled():
    out = clean(png((5000, 100)), "r.png", "image/png")
    img = assert_clean_jpeg(out)
    assert img.size == (MAX_SIDE, 48)


def test_big_phone_photo_is_downscaled():
    out = clean(jpeg((4000, 3000)))
    assert assert_clean_jpeg(out).size == (MAX_SIDE, 1800)


def test_image_at_the_pixel_limit_is_not_a_bomb():
    assert MAX_PIXELS == 6000 * 4000  # a 24-megapixel phone photo
    out = clean(png((6000, 4000)))
    assert assert_clean_jpeg(out).size == (MAX_SIDE, 1600)


def test_twelve_megapixel_phone_jpeg_is_accepted():
    out = clean(encode(Image.effect_noise((4000, 3000), 40).convert("RGB"), "JPEG", quality=90))
    assert assert_clean_jpeg(out).size == (MAX_SIDE, 1800)


def test_photo_over_the_pixel_limit_is_refused_with_a_plain_message():
    app = Flask(__name__)
    Babel(app)
    with pytest.raises(ReceiptRejected) as caught:
        clean(png_solid(), "r.png", "image/png")
    assert caught.value.reason == "too_many_pixels"
    assert caught.value.field == "receipt"
    with app.test_request_context():
        assert str(caught.value.message) == (
            "This photo is too big. Take a new photo or send a smaller one."
        )


def test_pixel_limit_follows_the_setting():
    data = png((300, 200))
    assert clean(data, max_pixels=300 * 200).pages == 1
    with pytest.raises(ReceiptRejected) as caught:
        clean(data, max_pixels=300 * 200 - 1)
    assert caught.value.reason == "too_many_pixels"


def test_file_of_exactly_max_bytes_is_accepted():
    limit = 50_000
    base = jpeg()
    padded = jpeg(comment=b"x" * (limit - len(base) - 4))
    assert len(padded) == limit
    assert_clean_jpeg(clean(padded, max_bytes=limit))
    with pytest.raises(ReceiptRejected) as caught:
        clean(padded, max_bytes=limit - 1)
    assert caught.value.reason == "too_big"


def test_too_big_message_names_the_limit():
    app = Flask(__name__)
    Babel(app)
    with pytest.raises(ReceiptRejected) as caught:
        clean(b"\xff\xd8\xff" + b"\x00" * 10, max_bytes=5)
    with app.test_request_context():
        assert "MB" in str(caught.value.message)
    with pytest.raises(ReceiptRejected) as caught:
        clean(b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024), max_bytes=8 * 1024 * 1024)
    with app.test_request_context():
        assert "8 MB" in str(caught.value.message)


def test_every_reason_has_a_message():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        for reason in receipts.MESSAGES:
            assert str(ReceiptRejected(receipts.MESSAGES[reason], reason).message).endswith(".")


def test_plain_pdf_is_kept_as_it_is():
    data = fpdf_pdf()
    out = clean(data, "ticket.pdf", "application/pdf")
    assert out == CleanReceipt(
        data=data,
        mime="application/pdf",
        extension=".pdf",
        pages=1,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_pdf_with_the_maximum_number_of_pages_is_accepted():
    assert clean(fpdf_pdf(pages=MAX_PDF_PAGES)).pages == MAX_PDF_PAGES


def test_pdf_with_a_web_link_is_refused_with_a_plain_message():
    app = Flask(__name__)
    Babel(app)
    data = with_writer(link_annotation(action("URI", URI=TextStringObject("https://sncf.fr"))))
    with pytest.raises(ReceiptRejected) as caught:
        clean(data)
    assert caught.value.reason == "pdf_active"
    with app.test_request_context():
        assert str(caught.value.message) == (
            "This PDF contains links or actions. Send a photo or a simple PDF (scanned)."
        )


def test_hand_written_pdf_without_actions_is_accepted():
    assert clean(raw_pdf()).pages == 1


def test_object_stream_pdf_without_javascript_is_accepted():
    data = pdf_with_object_stream_javascript().replace(b"/OpenAction 5 0 R", b"/Lang (fr)       ")
    assert clean(data).pages == 1


def test_font_subset_names_are_not_mistaken_for_actions():
    """'/AAAAAB+Arial' starts like /AA but is another name."""
    data = raw_pdf(
        page_extra=b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
        b"/BaseFont /AAAAAB+Arial >> >> >>"
    )
    assert clean(data).pages == 1


# Sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (jpeg, "image/jpeg"),
        (png, "image/png"),
        (webp, "image/webp"),
        (heic, "image/heic"),
        (fpdf_pdf, "application/pdf"),
        (lambda: b"\x00\x00\x00\x18ftypmif1", "image/heic"),
        (lambda: b"\x00\x00\x00\x18ftyphevc", "image/heic"),
        (lambda: b"\x00\x00\x00\x18ftypavif", None),
        (lambda: b" %PDF-1.7", None),
        (lambda: HTML, None),
        (lambda: b"", None),
        (lambda: b"\xff\xd8", None),
    ],
    ids=[
        "jpeg",
        "png",
        "webp",
        "heic",
        "pdf",
        "mif1",
        "hevc",
        "avif",
        "pdf-late",
        "html",
        "empty",
        "short",
    ],
)
def test_sniff(build: Callable[[], bytes], expected: str | None) -> None:
    assert sniff(build()) == expected


def test_accepted_types():
    assert receipts.ACCEPTED_TYPES == (
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/heic",
        "application/pdf",
    )


# Storage --------------------------------------------------------------------------------


def all_files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


@pytest.mark.parametrize("filename", ["../../etc/passwd.jpg", "a\x00.jpg", "/etc/cron.d/x.jpg"])
def test_store_writes_only_inside_root_under_a_random_name(tmp_path: Path, filename: str) -> None:
    root = tmp_path / "root"
    before = all_files(tmp_path)
    receipt = clean(jpeg(), filename, "image/jpeg")
    key = store(root, receipt)
    assert KEY_RE.fullmatch(key)
    created = all_files(tmp_path) - before
    assert created == {root, root / key[:2], root / key}
    path = path_for(root, key)
    assert path == root / key
    assert path.read_bytes() == receipt.data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((root / key[:2]).stat().st_mode) == 0o700
    assert "passwd" not in key and "etc" not in key


def test_store_pdf_and_names_are_random(tmp_path: Path) -> None:
    receipt = clean(fpdf_pdf())
    keys = {store(tmp_path, receipt) for _ in range(5)}
    assert len(keys) == 5
    assert all(key.endswith(".pdf") and KEY_RE.fullmatch(key) for key in keys)
    assert not [p for p in tmp_path.rglob("*.part")]


def test_store_refuses_a_folder_that_leads_outside_root(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "ab").symlink_to(outside)
    monkeypatch.setattr(receipts.secrets, "token_hex", lambda n: "ab" + "0" * 30)
    with pytest.raises(ValueError):
        store(root, clean(jpeg()))
    assert not list(outside.iterdir())


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "../ab/" + "0" * 32 + ".jpg",
        "/etc/passwd",
        "/ab/" + "0" * 32 + ".jpg",
        "ab/" + "0" * 32 + ".exe",
        "ab/" + "0" * 32 + ".JPG",
        "AB/" + "0" * 32 + ".jpg",
        "ab/" + "0" * 31 + ".jpg",
        "ab/" + "0" * 32 + ".jpg\n",
        "ab\\" + "0" * 32 + ".jpg",
        "ab/" + "0" * 32 + ".jpg/..",
        "",
    ],
)
def test_path_for_refuses_bad_keys(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        path_for(tmp_path, key)
    with pytest.raises(ValueError):
        delete(tmp_path, key)


def test_path_for_refuses_a_key_that_resolves_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "cd").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError):
        path_for(root, "cd/" + "1" * 32 + ".jpg")


def test_delete_removes_and_tolerates_missing(tmp_path: Path) -> None:
    key = store(tmp_path, clean(jpeg()))
    delete(tmp_path, key)
    assert not path_for(tmp_path, key).exists()
    delete(tmp_path, key)
    delete(tmp_path, "ef/" + "a" * 32 + ".pdf")
