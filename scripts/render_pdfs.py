"""Export each print kind under each print template from the samples and render the pages to PNG.

Usage: ``python scripts/render_pdfs.py [--resolution 50] [--out docs/pdf] [--template NAME]``
(needs ``pdftoppm`` from poppler-utils). Writes ``docs/pdf/<template>/<kind>-p<N>.png``: the first
page and the last page of each kind (where the 总分, footnotes and sign-off print). Kinds:
project_target, dept_target, dept_target_project, project_self_eval, dept_self_eval (layout A)
and dept_self_eval_b (layout B, built from the Wuwei department form).
"""

from __future__ import annotations

import argparse
import copy
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
from desktop.reports.printed import is_dept_project_block  # noqa: E402
from desktop.reports.template import available_templates  # noqa: E402
from tests.reports.helpers import layout_b_form, manual_scores  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "samples"


def _sample(name: str) -> Workbook:
    return interchange.load_path(str(SAMPLES / name))


def jobs() -> list[tuple[str, Workbook, list[int]]]:
    """(kind, workbook, form positions) of each rendered print kind."""
    tianjin = _sample("tianjin-zwfw-2025-targets.json")
    tangshan = _sample("tangshan-xzsp-targets.json")
    wuwei = _sample("wuwei-zwfw-2022-selfeval.json")
    layout_b = Workbook(unit=wuwei.unit, year=wuwei.year, forms=[layout_b_form(wuwei)], ruleset=wuwei.ruleset)

    def first(workbook: Workbook, kind: FormKind, project_block: bool = False) -> int:
        return next(
            n
            for n, form in enumerate(workbook.forms)
            if form.kind is kind and (kind is not FormKind.DEPT_TARGET or is_dept_project_block(form) == project_block)
        )

    return [
        ("project_target", tianjin, [first(tianjin, FormKind.PROJECT_TARGET)]),
        ("dept_target", tangshan, [first(tangshan, FormKind.DEPT_TARGET)]),
        ("dept_target_project", tangshan, [first(tangshan, FormKind.DEPT_TARGET, True)]),
        ("project_self_eval", wuwei, [first(wuwei, FormKind.PROJECT_SELF_EVAL)]),
        ("dept_self_eval", wuwei, [first(wuwei, FormKind.DEPT_SELF_EVAL)]),
        ("dept_self_eval_b", layout_b, [0]),
    ]


def render(pdf: Path, out: Path, name: str, resolution: int, pages: int) -> int:
    """Render the first and the last page of ``pdf`` to ``out/<name>-p<N>.png``; returns the count."""
    for old in out.glob(f"{name}-p*.png"):
        old.unlink()
    wanted = sorted({1, pages})
    for number in wanted:
        prefix = out / f"{name}-p{number}"
        command = ["pdftoppm", "-png", "-singlefile", "-r", str(resolution), "-f", str(number), "-l", str(number)]
        subprocess.run([*command, str(pdf), str(prefix)], check=True)
    return len(wanted)


def main(argv: list[str] | None = None) -> int:
    """Export and render every kind under every template; print one line per PDF."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resolution", type=int, default=50, help="pdftoppm -r (dots per inch)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pdf", help="folder of the PNG folders")
    parser.add_argument("--template", action="append", help="only these templates (default: all)")
    parser.add_argument("--filed-scores", action="store_true", help="print the filed (manual) scores, not the engine's")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1
    templates = [t for t in available_templates() if not args.template or t.name in args.template]
    with tempfile.TemporaryDirectory() as tmp:
        for template in templates:
            folder = args.out / template.name
            folder.mkdir(parents=True, exist_ok=True)
            for name, source, positions in jobs():
                workbook = copy.copy(source)
                workbook.template = template.name
                pdf = Path(tmp) / f"{template.name}-{name}.pdf"
                scores = manual_scores if args.filed_scores else None
                result = export_pdf(workbook, pdf, forms=positions, scores=scores)
                count = render(pdf, folder, name, args.resolution, result.pages)
                print(f"{template.name}/{name}: {result.pages} pages, {result.bytes} bytes, {count} rendered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
