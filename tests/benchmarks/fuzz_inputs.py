"""Fuzz the untrusted-input paths: the value reader, the JSON importer, the workbook opener, the Excel importer,
the consolidation's files and the 指标库 import.

Run: ``python -m tests.benchmarks.fuzz_inputs [N]`` (default 10,000 inputs each). Prints, per path,
the inputs tried, how many were refused with a clear message (``UserError``), and the exceptions
that escaped (must be 0). Inputs are random text, mutated sample JSON (bytes flipped, cut, keys
renamed, values replaced by other types, deep nesting, huge strings), mutated workbook files and
.xlsx files whose XML parts were mutated (one tenth of N each for the last two).

Hostile shapes from issue 14 are mixed in: numbers with huge or tiny exponents and too many digits,
control characters and lone surrogates in text, and in sheets merged ranges and cells far out
(``J50:XFD1048576``, ``XFD1048576``), huge dimensions and many merges. Each path also reports the
slowest input and the process's peak memory: no input may take over 5 s or 500 MB.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from desktop.models.errors import UserError
from desktop.models.formats import interchange
from desktop.models.formats.excel_import import read_indicator_tables
from desktop.models.scoring.values import read_value
from desktop.models.storage import store
from tests.helpers.fixtures import SAMPLE_FILES

ALPHABET = '≥≤<>=＝＜＞≧≦％%万亿元人次天小时分钟个月年前底内以上以下不高于低于0123456789.,- 合格满意/²m\n\t"{}[]:'


def _random_text(rng: random.Random) -> str:
    length = rng.choice([0, 1, 3, 8, 20, 60, 300])
    if rng.random() < 0.5:
        return "".join(rng.choice(ALPHABET) for _ in range(length))
    return "".join(chr(rng.randrange(0, 0x2FFFF)) for _ in range(length))


def _mutate_data(data: object, rng: random.Random, depth: int = 0) -> object:
    """Replace a random node of JSON data by something of the wrong shape."""
    if isinstance(data, dict) and data and depth < 8 and rng.random() < 0.8:
        key = rng.choice(list(data))
        out = dict(data)
        roll = rng.random()
        if roll < 0.1:
            out[_random_text(rng) or "x"] = 1
        elif roll < 0.2:
            del out[key]
        else:
            out[key] = _mutate_data(data[key], rng, depth + 1)
        return out
    if isinstance(data, list) and data and depth < 8 and rng.random() < 0.8:
        out_list = list(data)
        i = rng.randrange(len(out_list))
        out_list[i] = _mutate_data(out_list[i], rng, depth + 1)
        return out_list
    return rng.choice(
        [None, True, -1, 10**30, "abc", "≥95%", [], {}, "x" * 200_000, [[[[[[]]]]]], 1.5e308, {"a": {"b": []}}]
        + HOSTILE_VALUES
    )


class _Raw(str):
    """A JSON number literal inserted verbatim (json.dumps cannot write 1e-999999999 otherwise)."""


HOSTILE_NUMBERS = [
    "1e-999999999",
    "1e999999999",
    "-1e999999999",
    "0E-999999999",
    "0E+999999999",
    "1" * 5000,
    "0." + "0" * 5000 + "1",
    "-1e-16",
]
HOSTILE_VALUES: list[object] = [
    *(_Raw(n) for n in HOSTILE_NUMBERS),
    "标题\x01",
    "a\x0bb",
    "\ud800",
    "行\x1f",
]


def _dumps(data: object) -> str:
    """JSON text with ``_Raw`` literals in place and escapes like \x01 turned into real control characters."""
    marks: dict[str, str] = {}

    def swap(value: object) -> object:
        if isinstance(value, _Raw):
            key = f"@@RAW{len(marks)}@@"
            marks[key] = str(value)
            return key
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, str) and "\\x" in value or isinstance(value, str) and "\\u" in value:
            return value.encode("ascii", "backslashreplace").decode("unicode_escape", "surrogatepass")
        return value

    text = json.dumps(swap(data), ensure_ascii=True)
    for key, literal in marks.items():
        text = text.replace(f'"{key}"', literal)
    return text


def _mutated_json(samples: list[str], rng: random.Random) -> str:
    text = rng.choice(samples)
    roll = rng.random()
    if roll < 0.5:
        return _dumps(_mutate_data(json.loads(text), rng))
    if roll < 0.7:
        cut = rng.randrange(len(text))
        return text[:cut]
    if roll < 0.85:
        chars = list(text)
        for _ in range(rng.randint(1, 20)):
            chars[rng.randrange(len(chars))] = rng.choice(ALPHABET)
        return "".join(chars)
    return "[" * rng.randint(1, 5000) + "]" * rng.randint(0, 5000)


def _run(name: str, count: int, make: Callable[[int], object], check: Callable[[object], object]) -> int:
    refused = escaped = 0
    started = time.perf_counter()
    slowest = 0.0
    for i in range(count):
        item = make(i)
        one = time.perf_counter()
        try:
            check(item)
        except UserError:
            refused += 1
        except Exception as exc:
            escaped += 1
            if escaped <= 5:
                print(f"  ESCAPED in {name}: {type(exc).__name__}: {exc!s:.200}")
        finally:
            slowest = max(slowest, time.perf_counter() - one)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name}: {count} inputs, {refused} refused with a message, {escaped} exceptions escaped, {seconds:.1f} s; "
        f"slowest input {slowest:.2f} s, peak memory of the process {peak_mb:.0f} MB"
    )
    if slowest > 5 or peak_mb > 500:
        print(f"  TOO COSTLY in {name}: an input took {slowest:.1f} s / the process reached {peak_mb:.0f} MB")
        escaped += 1
    return escaped


def main() -> int:
    """Fuzz each path; exit status 1 if any exception escaped."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(20261123)
    samples = [path.read_text(encoding="utf-8") for path in SAMPLE_FILES]
    escaped = _run("value reader", count, lambda i: _random_text(rng), lambda text: read_value(str(text)))
    escaped += _run(
        "JSON importer", count, lambda i: _mutated_json(samples, rng), lambda text: interchange.loads(str(text))
    )
    with tempfile.TemporaryDirectory() as tmp:
        good = Path(tmp) / "good.jxdb"
        store.import_json(str(SAMPLE_FILES[-1]), str(good))
        raw = good.read_bytes()

        def mutated_file(i: int) -> object:
            data = bytearray(raw)
            roll = rng.random()
            if roll < 0.4:
                data = data[: rng.randrange(len(data))]
            else:
                for _ in range(rng.randint(1, 50)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            path = Path(tmp) / f"bad{i % 10}.jxdb"
            path.write_bytes(bytes(data))
            return path

        def open_file(path: object) -> None:
            document = store.open_workbook(str(path), read_only=True)
            document.close()

        escaped += _run("workbook opener", max(count // 10, 100), mutated_file, open_file)
        escaped += _run("Excel importer", max(count // 10, 100), _xlsx_mutator(Path(tmp), rng), _read_xlsx)
        escaped += _fuzz_consolidation(Path(tmp), rng, max(count // 10, 100))
        escaped += _fuzz_library(Path(tmp), rng, max(count // 10, 100))
    return 1 if escaped else 0


def _fuzz_library(folder: Path, rng: random.Random, count: int) -> int:
    """文件 → 导入指标库: a mutated library file is read (and merged into a fresh own library) or refused."""
    from desktop.models.library.entries import BUNDLED, load_library
    from desktop.models.library.own import add_to_own, own_library_path

    sample = [BUNDLED.read_text(encoding="utf-8")]

    def library_file(i: int) -> object:
        path = folder / f"library{i % 10}.json"
        path.write_text(_mutated_json(sample, rng), encoding="utf-8", errors="surrogatepass")
        return path

    def import_file(path: object) -> None:
        own = own_library_path(folder / "own")
        own.unlink(missing_ok=True)
        add_to_own(own, load_library(str(path)))
        load_library(own)  # what was saved opens again

    return _run("library import", count, library_file, import_file)


def _fuzz_consolidation(folder: Path, rng: random.Random, count: int) -> int:
    """The 汇总 readers: the review file (.jxreview) and the list of expected units."""
    from decimal import Decimal

    from desktop.models.consolidation.findings import read_expected
    from desktop.models.consolidation.review import ReviewBook, ReviewEntry, dumps

    book = ReviewBook()
    for n in range(5):
        book.set(ReviewEntry(f"3191{n:02d}", n, n or None, Decimal(n), "意见"))  # no path: kept in memory
    review = dumps(book)

    def review_file(i: int) -> object:
        path = folder / f"r{i % 10}.jxreview"
        path.write_text(_mutated_json([review], rng), encoding="utf-8")
        return path

    def unit_list(i: int) -> object:
        path = folder / f"u{i % 10}.csv"
        path.write_bytes(
            _random_text(rng).encode("utf-8", "surrogatepass") if rng.random() < 0.5 else rng.randbytes(200)
        )
        return path

    escaped = _run("review file", count, review_file, lambda path: ReviewBook.load(str(path)))
    return escaped + _run("unit list", count, unit_list, lambda path: read_expected(str(path)))


def _xlsx_mutator(folder: Path, rng: random.Random) -> Callable[[int], object]:
    """Makes .xlsx files from one exported sample with bytes of one XML part changed, cut or inserted."""
    from desktop.reports.xlsx import export_xlsx

    base = folder / "base.xlsx"
    export_xlsx(interchange.load_path(str(SAMPLE_FILES[-1])), base, forms=[1])
    with zipfile.ZipFile(base) as package:
        members = {name: package.read(name) for name in package.namelist()}
    parts = sorted(name for name in members if name.endswith(".xml"))
    pieces = [b"<", b">", b'"', b"&", b"0", b"-1", b"999999", b'<c r="A1" t="s"><v>99999</v></c>', b"\xff"]
    after_data = [  # hostile shapes, put where they are well-formed
        b'<mergeCells count="1"><mergeCell ref="J50:XFD1048576"/></mergeCells>',
        b'<mergeCells count="1"><mergeCell ref="A1:ZZ9000"/></mergeCells>',
        b"<mergeCells>" + b"".join(b'<mergeCell ref="A%d:B%d"/>' % (r, r) for r in range(1, 25000)) + b"</mergeCells>",
    ]
    in_data = [
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        b'<row r="60"><c r="B60"><v>1E-999999999</v></c><c r="C60" t="inlineStr"><is><t>\x01</t></is></c></row>',
        b'<row r="61"><c r="A61" t="inlineStr"><is><t>&#1;</t></is></c><c r="D61"><v>1e308</v></c></row>',
    ]

    def make(i: int) -> object:
        changed = dict(members)
        part = rng.choice(parts)
        data = bytearray(changed[part])
        sheets = [name for name in parts if name.startswith("xl/worksheets/")]
        if sheets and rng.random() < 0.3:
            part = rng.choice(sheets)
            text = changed[part]
            if rng.random() < 0.5:
                text = text.replace(b"</sheetData>", b"</sheetData>" + rng.choice(after_data), 1)
            else:
                text = text.replace(b"</sheetData>", rng.choice(in_data) + b"</sheetData>", 1)
            text = (
                text.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="', 1)
                if rng.random() < 0.2
                else text
            )
            changed[part] = text
            data = bytearray(text)
        for _ in range(rng.randint(0 if part in sheets else 1, 8)):
            roll, at = rng.random(), rng.randrange(len(data) or 1)
            if roll < 0.4 and data:
                data[at] = rng.randrange(256)
            elif roll < 0.7:
                data[at:at] = rng.choice(pieces)
            elif data:
                del data[at : at + rng.randint(1, 50)]
        changed[part] = bytes(data)
        path = folder / f"bad{i % 10}.xlsx"
        with zipfile.ZipFile(path, "w") as package:
            for name, content in changed.items():
                package.writestr(name, content)
        return path

    return make


def _read_xlsx(path: object) -> None:
    read_indicator_tables(str(path))


if __name__ == "__main__":
    sys.exit(main())
