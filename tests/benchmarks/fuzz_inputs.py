"""Fuzz the untrusted-input paths: the value reader, the JSON importer, the workbook opener, the Excel importer.

Run: ``python -m tests.benchmarks.fuzz_inputs [N]`` (default 10,000 inputs each). Prints, per path,
the inputs tried, how many were refused with a clear message (``UserError``), and the exceptions
that escaped (must be 0). Inputs are random text, mutated sample JSON (bytes flipped, cut, keys
renamed, values replaced by other types, deep nesting, huge strings), mutated workbook files and
.xlsx files whose XML parts were mutated (one tenth of N each for the last two).
"""

from __future__ import annotations

import json
import random
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
    )


def _mutated_json(samples: list[str], rng: random.Random) -> str:
    text = rng.choice(samples)
    roll = rng.random()
    if roll < 0.5:
        return json.dumps(_mutate_data(json.loads(text), rng), ensure_ascii=False)
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
    for i in range(count):
        item = make(i)
        try:
            check(item)
        except UserError:
            refused += 1
        except Exception as exc:
            escaped += 1
            if escaped <= 5:
                print(f"  ESCAPED in {name}: {type(exc).__name__}: {exc!s:.200}")
    seconds = time.perf_counter() - started
    print(f"{name}: {count} inputs, {refused} refused with a message, {escaped} exceptions escaped, {seconds:.1f} s")
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
    return 1 if escaped else 0


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

    def make(i: int) -> object:
        changed = dict(members)
        part = rng.choice(parts)
        data = bytearray(changed[part])
        for _ in range(rng.randint(1, 8)):
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
