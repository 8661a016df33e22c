"""Draws the first page of an uploaded PDF as a PNG, in a process of its own.

Run by finance_preview.py as `python -m app.expenses.preview_worker PDF WIDTH MEMORY CPU`:
it limits itself first (address space MEMORY bytes, CPU seconds, no core file), then opens
the PDF with pypdfium2, draws the first page at most WIDTH pixels wide and writes the PNG
to its standard output. A PDF that makes the drawing crash, eat memory or loop ends this
process only (the limits, or the parent's wall timeout), never the app's. It reads nothing
but the file it is given and prints nothing but the picture."""

from __future__ import annotations

import io
import resource
import sys

MAX_SCALE = 3.0


def limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def first_page_png(path: str, max_width: int) -> bytes:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[0]
        width = page.get_width() or max_width
        scale = min(max_width / width, MAX_SCALE)
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()


def main(argv: list[str]) -> int:
    path, max_width, memory_bytes, cpu_seconds = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    limit(memory_bytes, cpu_seconds)
    try:
        data = first_page_png(path, max_width)
    except Exception:  # noqa: BLE001 - any failure is "no picture": the parent says so
        return 2
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
