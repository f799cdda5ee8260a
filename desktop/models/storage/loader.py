"""Loading a checked workbook file into domain objects, with the standard ``sqlite3`` module only.

``load`` reads every row (each value type-checked; a bad row is a Chinese ``WorkbookFileError``
naming it); ``inspect_and_load`` checks a file through a read-only connection (``file_checks``) and
loads it when it is at the current revision, rolling back a crashed writer's journal when asked.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.models.storage.columns import ITEM_FIELDS
from desktop.models.storage.file_checks import HotJournal, check_size, corrupt, validate
from desktop.models.storage.identity import HEAD_COLUMNS, HEAD_REVISION, configure_connection, text_to_decimal
from desktop.models.storage.safety import translated_errors
from desktop.models.storage.sqlite_file import connect_read_only, sqlite_uri
from desktop.models.workbook.domain import (
    FUND_LINES,
    Band,
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    Indicator,
    Signoff,
    SpendingStep,
    Unit,
    Workbook,
)


class _Bad(Exception):
    pass


def _text(value: object) -> str:
    if type(value) is not str:
        raise _Bad
    return value


def _opt_text(value: object) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Bad
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise _Bad
    return value


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _opt_dec(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return text_to_decimal(value)
    except ValueError:
        raise _Bad from None


def _flag(value: object) -> bool:
    if value not in (0, 1) or type(value) is not int:
        raise _Bad
    return bool(value)


def _select(conn: sqlite3.Connection, table: str, order: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    columns = list(HEAD_COLUMNS[table])
    sql = f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} FROM {table} ORDER BY {order}"
    return columns, conn.execute(sql).fetchall()


def load(conn: sqlite3.Connection) -> Workbook:
    """Read the whole workbook (already validated at the current revision) into domain objects."""
    where = "工作簿记录"
    try:
        _cols, rows = _select(conn, "workbook", "id")
        if len(rows) != 1:
            raise corrupt("应有且只有一个工作簿记录")
        wid, unit_code, unit_name, year, ruleset, template, _file_id = rows[0]
        workbook = Workbook(
            unit=Unit(code=_text(unit_code), name=_text(unit_name), db_id=wid),
            year=_opt_int(year),
            ruleset=_text(ruleset),
            template=_text(template),
            db_id=_int(wid),
        )
        forms: dict[int, Form] = {}
        where = "表格记录"
        cols, rows = _select(conn, "form", "position, id")
        c = {name: i for i, name in enumerate(cols)}
        for row in rows:
            where = f"表格记录 #{row[0]}"
            form_id = _int(row[c["id"]])
            form = Form(
                kind=FormKind(_text(row[c["kind"]])),
                title=_text(row[c["title"]]),
                code=_opt_text(row[c["code"]]),
                department=_opt_text(row[c["department"]]),
                money_unit=_opt_text(row[c["money_unit"]]),
                purpose=_opt_text(row[c["purpose"]]),
                exec_weight=_opt_dec(row[c["exec_weight"]]),
                exec_score=_opt_dec(row[c["exec_score"]]),
                overall_target=_opt_text(row[c["overall_target"]]),
                overall_actual=_opt_text(row[c["overall_actual"]]),
                deviation=_opt_text(row[c["deviation"]]),
                printed_total=_opt_dec(row[c["printed_total"]]),
                conclusion=_opt_text(row[c["conclusion"]]),
                notes=_opt_text(row[c["notes"]]),
                db_id=form_id,
            )
            if _flag(row[c["has_unit"]]):
                form.unit = Unit(code=_text(row[c["unit_code"]]), name=_text(row[c["unit_name"]]), db_id=form_id)
            if _flag(row[c["has_budget"]]):
                form.budget = Budget(
                    amount=_opt_dec(row[c["budget_amount"]]),
                    fiscal=_opt_dec(row[c["budget_fiscal"]]),
                    other=_opt_dec(row[c["budget_other"]]),
                    db_id=form_id,
                )
            if _flag(row[c["has_signoff"]]):
                form.signoff = Signoff(
                    head=_opt_text(row[c["signoff_head"]]),
                    preparer=_opt_text(row[c["signoff_preparer"]]),
                    phone=_opt_text(row[c["signoff_phone"]]),
                    date=_opt_text(row[c["signoff_date"]]),
                    db_id=form_id,
                )
            form.funds = [] if _flag(row[c["has_funds"]]) else None
            form.goals = [] if _flag(row[c["has_goals"]]) else None
            form.spending_plan = [] if _flag(row[c["has_spending_plan"]]) else None
            forms[form_id] = form
            workbook.forms.append(form)
        order = "form_id, position, id"
        where = "资金行记录"
        for fid, form_id, _pos, line, initial, full_year, executed in _select(conn, "fund_line", order)[1]:
            where = f"资金行记录 #{fid}"
            if line not in FUND_LINES:
                raise _Bad
            fund = FundLine(line, _opt_dec(initial), _opt_dec(full_year), _opt_dec(executed), db_id=fid)
            _list_of(forms[form_id], "funds").append(fund)
        where = "支出计划记录"
        for sid, form_id, _pos, by, percent in _select(conn, "spending_step", order)[1]:
            where = f"支出计划记录 #{sid}"
            _list_of(forms[form_id], "spending_plan").append(SpendingStep(_text(by), _opt_dec(percent), db_id=sid))
        where = "绩效目标记录"
        for gid, form_id, _pos, no, target, actual in _select(conn, "goal", order)[1]:
            where = f"绩效目标记录 #{gid}"
            _list_of(forms[form_id], "goals").append(Goal(_int(no), _opt_text(target), _opt_text(actual), db_id=gid))
        where = "指标记录"
        cols, rows = _select(conn, "indicator", order)
        if cols[3:] != list(ITEM_FIELDS[Indicator]):
            raise _Bad
        if _indicators_at_once(rows, forms):
            return workbook
        for iid, form_id, _pos, l1, l2, name, desc, target, basis, actual, weight, score, dev, goal, band in rows:
            where = f"指标记录 #{iid}"
            forms[form_id].indicators.append(
                Indicator(
                    level1=_text(l1),
                    level2=_text(l2),
                    name=_text(name),
                    description=_opt_text(desc),
                    target=_opt_text(target),
                    basis=_opt_text(basis),
                    actual=_opt_text(actual),
                    weight=_opt_dec(weight),
                    score=_opt_dec(score),
                    deviation=_opt_text(dev),
                    goal=_opt_int(goal),
                    band=None if band is None else Band(_text(band)),
                    db_id=iid,
                )
            )
    except (_Bad, ValueError, KeyError):
        raise corrupt(f"{where}的内容不合规") from None
    return workbook


_OPT_TEXT = (str, type(None))
_OPT_INT = (int, type(None))


def _indicators_at_once(rows: list[tuple[Any, ...]], forms: dict[int, Form]) -> bool:
    """Add every indicator row to its form, the checks of the row-by-row loop inline; False: a row fails them.

    The same objects as ``load``'s own loop makes, without a Python call per value (a third of the
    time of opening a large workbook went to those calls); when any row is not as expected nothing
    was added, and the loop reads the rows again to name the first bad one.
    """
    opt_text, opt_int = _OPT_TEXT, _OPT_INT
    decimal, band_of = Decimal, Band
    built: list[tuple[Form, Indicator]] = []
    try:
        for iid, form_id, _pos, l1, l2, name, desc, target, basis, actual, weight, score, dev, goal, band in rows:
            if not (
                type(iid) is int
                and type(l1) is str
                and type(l2) is str
                and type(name) is str
                and type(desc) in opt_text
                and type(target) in opt_text
                and type(basis) in opt_text
                and type(actual) in opt_text
                and type(dev) in opt_text
                and type(goal) in opt_int
                and type(band) in opt_text
            ):
                return False
            if weight is not None:
                weight = decimal(weight) if type(weight) is str else None
                if weight is None or not weight.is_finite():
                    return False
            if score is not None:
                score = decimal(score) if type(score) is str else None
                if score is None or not score.is_finite():
                    return False
            indicator = Indicator(
                l1, l2, name, desc, target, basis, actual, weight, score, dev, goal,
                None if band is None else band_of(band), iid,
            )  # fmt: skip
            built.append((forms[form_id], indicator))
    except (ValueError, KeyError, ArithmeticError):  # a bad number, band or form: the loop names the row
        return False
    for form, indicator in built:
        form.indicators.append(indicator)
    return True


def _list_of(form: Form, attr: str) -> list[Any]:
    items = getattr(form, attr)
    if items is None:  # rows present although the form says the list is absent
        raise _Bad
    return items  # type: ignore[no-any-return]


def inspect_and_load(path: Path, *, recover: bool) -> tuple[str, Workbook | None]:
    """Validate the file through a read-only connection; load it if it is at the current revision.

    With ``recover``, a journal left by a crashed writer is rolled back in place first (the caller
    holds the lock); without, ``HotJournal`` is raised.
    """
    for attempt in range(2):
        with translated_errors():
            check_size(path)
            conn = connect_read_only(path)
            try:
                revision = validate(conn)
                return revision, load(conn) if revision == HEAD_REVISION else None
            except UnicodeDecodeError:
                raise corrupt("文本内容不是有效的 UTF-8") from None
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc).lower():  # found by fuzzing: damaged text bytes in a row
                    raise
                raise corrupt("文本内容不是有效的 UTF-8") from None
            except HotJournal:
                if not recover or attempt:
                    raise
            finally:
                conn.close()
            _roll_back_journal(path)
    raise AssertionError("unreachable")  # pragma: no cover


def _roll_back_journal(path: Path) -> None:
    """Let SQLite roll back the hot journal of a crashed writer (a read-write open does it)."""
    conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True, isolation_level=None)
    try:
        configure_connection(conn)
        conn.execute("PRAGMA schema_version").fetchone()
    finally:
        conn.close()
