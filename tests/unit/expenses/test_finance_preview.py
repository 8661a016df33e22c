"""PDF receipts drawn as pictures in a child process with limits: a real PDF gives a PNG, a
limit too small for the drawing ends the child (and the page says so, see the functional
test), and nothing of it happens in the app's own process."""

import os

from fpdf import FPDF

from app.expenses import finance_preview
from tests.conftest import WAIT


def _pdf(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.cell(text="Facture SNCF 12,50 EUR")
    path = tmp_path / "facture.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def test_a_real_pdf_is_drawn_as_a_png_by_a_child_process(tmp_path):
    png = finance_preview.render_pdf(_pdf(tmp_path), timeout=WAIT)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1000


def test_a_child_over_its_memory_limit_gives_no_picture_and_the_app_goes_on(tmp_path):
    path = _pdf(tmp_path)
    assert finance_preview.render_pdf(path, timeout=WAIT, memory_bytes=48 * 1024 * 1024) is None
    # the same file within the usual limits: drawn (the limit, not the file, stopped it)
    assert finance_preview.render_pdf(path, timeout=WAIT) is not None


def test_a_child_over_its_processor_time_is_ended(tmp_path):
    path = _pdf(tmp_path)
    # 0 seconds of processor time: the kernel ends the child at its first tick
    assert finance_preview.render_pdf(path, timeout=WAIT, cpu_seconds=0) is None


def test_a_child_slower_than_the_wall_timeout_is_ended(tmp_path):
    assert finance_preview.render_pdf(_pdf(tmp_path), timeout=0.001) is None


def test_a_corrupt_pdf_gives_no_picture(tmp_path):
    path = tmp_path / "abime.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    assert finance_preview.render_pdf(path, timeout=WAIT) is None
