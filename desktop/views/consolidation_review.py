"""The review panel of 汇总下级单位: 复核分 and 复核意见 for a form and each of its rows, beside the 自评分.

Edits go straight to the ``ReviewBook`` (saved to the review file on every change, never to the
unit's file); a refused edit (not a number, out of range, file not writable) shows its Chinese
message and the cell goes back to what is stored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.consolidation.review import ReviewBook, ReviewEntry
from desktop.models.consolidation.rows import UnitRow
from desktop.models.consolidation.summary import FormSummary
from desktop.models.errors import UserError

REVIEW_COLUMNS = ("一级指标", "二级指标", "三级指标", "分值", "自评分", "复核分", "复核意见")
COL_REVIEW_SCORE, COL_REVIEW_COMMENT = 5, 6


def _show(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def parse_score(text: str) -> Decimal | None:
    """A typed 复核分 (empty: none); raises ``UserError`` for what is not a number."""
    text = text.strip().replace("，", ".").replace("。", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UserError(f"复核分“{text[:20]}”不是数字") from None
    if not value.is_finite():
        raise UserError(f"复核分“{text[:20]}”不是数字")
    return value


class ReviewPanel(QWidget):
    """复核 of one form: the form's own 复核分 / 意见 and a table of its rows."""

    reviewChanged = Signal()  # Qt naming
    errorRaised = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.book: ReviewBook | None = None
        self.unit: UnitRow | None = None
        self.form: FormSummary | None = None
        self._filling = False
        self.title = QLabel("在上方选择一张自评表进行复核", self)
        self.title.setObjectName("reviewTitle")
        self.title.setWordWrap(True)
        self.form_score = QLineEdit(self)
        self.form_score.setObjectName("formReviewScore")
        self.form_score.setPlaceholderText("整表复核分")
        self.form_score.setMaximumWidth(110)
        self.form_comment = QLineEdit(self)
        self.form_comment.setObjectName("formReviewComment")
        self.form_comment.setPlaceholderText("整表复核意见（退回单位时列在复核意见表上）")
        self.form_score.editingFinished.connect(self._form_edited)
        self.form_comment.editingFinished.connect(self._form_edited)
        self.own_score = QLabel("", self)
        self.own_score.setObjectName("ownScore")
        self.own_score.setMinimumWidth(60)
        line = QHBoxLayout()
        line.addWidget(QLabel("自评分", self))
        line.addWidget(self.own_score)
        line.addSpacing(12)
        line.addWidget(QLabel("复核分", self))
        line.addWidget(self.form_score)
        line.addWidget(QLabel("复核意见", self))
        line.addWidget(self.form_comment, 1)
        self.table = QTableWidget(0, len(REVIEW_COLUMNS), self)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels(list(REVIEW_COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((80, 110, 200, 50, 60, 60)):
            self.table.setColumnWidth(column, width)
        self.table.itemChanged.connect(self._row_edited)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(line)
        layout.addWidget(self.table, 1)
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.form_score, self.form_comment, self.table):
            widget.setEnabled(enabled)

    def show_form(self, book: ReviewBook | None, unit: UnitRow | None, form: FormSummary | None) -> None:
        """Show the review of a form (or nothing)."""
        self.book, self.unit, self.form = book, unit, form
        self._filling = True
        try:
            self.table.setRowCount(0)
            workbook = unit.workbook if unit is not None else None
            if book is None or unit is None or form is None or workbook is None or not form.kind.is_self_eval:
                self.title.setText("在上方选择一张自评表进行复核（目标表不计分，不复核）")
                self.own_score.setText("")
                self.form_score.setText("")
                self.form_comment.setText("")
                self._set_enabled(False)
                return
            self._set_enabled(True)
            self.title.setText(f"复核：{unit.code} {unit.name} — 表{form.index + 1}“{form.title}”（{unit.path_name}）")
            self.own_score.setText(_show(form.total) or "未计分")
            entry = book.get(unit.key, form.index)
            self.form_score.setText(_show(entry.score) if entry else "")
            self.form_comment.setText(entry.comment if entry else "")
            indicators = workbook.forms[form.index].indicators
            self.table.setRowCount(len(indicators))
            for row, indicator in enumerate(indicators):
                entry = book.get(unit.key, form.index, row)
                own = form.row_scores[row] if row < len(form.row_scores) else None
                texts = (
                    indicator.level1,
                    indicator.level2,
                    indicator.name,
                    _show(indicator.weight),
                    _show(own) or "待评",
                    _show(entry.score) if entry else "",
                    entry.comment if entry else "",
                )
                for column, text in enumerate(texts):
                    item = QTableWidgetItem(text)
                    if column < COL_REVIEW_SCORE:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    if column in (3, 4, 5):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, column, item)
        finally:
            self._filling = False

    def _store(self, row: int | None, score: Decimal | None, comment: str) -> bool:
        unit, form, book = self.unit, self.form, self.book
        if unit is None or form is None or book is None or unit.workbook is None:
            return False
        name = unit.workbook.forms[form.index].indicators[row].name if row is not None else ""
        sha = unit.file.fingerprint.sha256 if unit.file and unit.file.fingerprint else ""
        try:
            book.set(ReviewEntry(unit.key, form.index, row, score, comment, form.title, name, sha))
        except UserError as exc:
            self.errorRaised.emit(exc.message)
            return False
        self.reviewChanged.emit()
        return True

    def _form_edited(self) -> None:
        if self._filling or self.book is None or self.unit is None or self.form is None:
            return
        entry = self.book.get(self.unit.key, self.form.index)
        try:
            score = parse_score(self.form_score.text())
        except UserError as exc:
            self.errorRaised.emit(exc.message)
            self.form_score.setText(_show(entry.score) if entry else "")
            return
        comment = self.form_comment.text()
        if entry is not None and (entry.score, entry.comment) == (score, comment.strip()):
            return
        if entry is None and score is None and not comment.strip():
            return
        if not self._store(None, score, comment):
            self.show_form(self.book, self.unit, self.form)

    def _row_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in (COL_REVIEW_SCORE, COL_REVIEW_COMMENT):
            return
        row = item.row()
        score_item = self.table.item(row, COL_REVIEW_SCORE)
        comment_item = self.table.item(row, COL_REVIEW_COMMENT)
        try:
            score = parse_score(score_item.text() if score_item else "")
        except UserError as exc:
            self.errorRaised.emit(exc.message)
            QTimer.singleShot(0, self._reshow)  # not inside the editor's commit
            return
        if not self._store(row, score, comment_item.text() if comment_item else ""):
            QTimer.singleShot(0, self._reshow)

    def _reshow(self) -> None:
        self.show_form(self.book, self.unit, self.form)
