"""Export one PDF per form kind from the samples and render its pages to docs/pdf/<kind>-p<N>.png.

Usage: ``python scripts/render_pdfs.py [--resolution 60] [--out docs/pdf]`` (needs ``pdftoppm``
from poppler-utils). Kinds: project_target, dept_target, project_self_eval, dept_self_eval
(layout A) and dept_self_eval_b (layout B, built from the Wuwei department form).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.models.formats import interchange  # noqa: E402
from desktop.models.workbook.domain import FormKind, Workbook  # noqa: E402
from desktop.reports.pdf import export_pdf  # noqa: E402
from tests.reports.helpers import layout_b_form, manual_scores  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "samples"


def _sample(name: str) -> Workbook:
    return interchange.load_path(str(SAMPLES / name))


def jobs() -> list[tuple[str, Workbook, list[int]]]:
    """(name, workbook, form positions) of each rendered kind."""
    tianjin = _sample("tianjin-zwfw-2025-targets.json")
    tangshan = _sample("tangshan-xzsp-targets.json")
    wuwei = _sample("wuwei-zwfw-2022-selfeval.json")
    layout_b = Workbook(unit=wuwei.unit, year=wuwei.year, forms=[layout_b_form(wuwei)], ruleset=wuwei.ruleset)

    def first(workbook: Workbook, kind: FormKind) -> int:
        return next(n for n, form in enumerate(workbook.forms) if form.kind is kind)

    return [
        ("project_target", tianjin, [first(tianjin, FormKind.PROJECT_TARGET)]),
        ("dept_target", tangshan, [0, 1]),
        ("project_self_eval", wuwei, [first(wuwei, FormKind.PROJECT_SELF_EVAL)]),
        ("dept_self_eval", wuwei, [first(wuwei, FormKind.DEPT_SELF_EVAL)]),
        ("dept_self_eval_b", layout_b, [0]),
    ]


def main(argv: list[str] | None = None) -> int:
    """Export and render every kind; print one line per kind."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resolution", type=int, default=60, help="pdftoppm -r (dots per inch)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pdf", help="folder of the PNG files")
    parser.add_argument("--filed-scores", action="store_true", help="print the filed (manual) scores, not the engine's")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, workbook, positions in jobs():
            pdf = Path(tmp) / f"{name}.pdf"
            result = export_pdf(workbook, pdf, forms=positions, scores=manual_scores if args.filed_scores else None)
            for old in args.out.glob(f"{name}-p*.png"):
                old.unlink()
            prefix = Path(tmp) / name
            subprocess.run(["pdftoppm", "-png", "-r", str(args.resolution), str(pdf), str(prefix)], check=True)
            pages = sorted(Path(tmp).glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            for number, page in enumerate(pages, start=1):
                shutil.move(page, args.out / f"{name}-p{number}.png")
            print(f"{name}: {result.pages} pages, {result.bytes} bytes -> {args.out}/{name}-p1..{len(pages)}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
