"""The pages of a PDF as PNG images (for docs/reports/), drawn by PDFium (pypdfium2).

    .venv/bin/python scripts/report_pages.py REPORT.pdf OUT_DIR [--scale 1.4]

Writes OUT_DIR/<pdf name>-page-01.png, -02, ...; prints how many.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pypdfium2 as pdfium


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.4, help="1 is 72 dpi (default 1.4)")
    args = parser.parse_args(argv)
    document = pdfium.PdfDocument(args.pdf)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for number in range(len(document)):
        image = document[number].render(scale=args.scale).to_pil()
        image.save(args.out_dir / f"{args.pdf.stem}-page-{number + 1:02d}.png", optimize=True)
    print(f"{len(document)} pages of {args.pdf} in {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
