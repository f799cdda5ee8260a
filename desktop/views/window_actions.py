"""The main window's actions, menus and toolbar as tables: what each action is called, its keys and tip,
and where it appears. ``WindowActions`` makes them once from the window's slots; ``actions.undo`` is the
QAction named ``undo``. 帮助 → 快捷键 lists the keys from these very actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar, QToolButton, QWidget

from desktop.models.workbook.domain import FormKind
from desktop.views.indicator_table import table_key_help
from desktop.views.workbook_tree import TREE_KEYS

_KEY = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """One action: its name (the slot it calls), text, keys and tip."""

    name: str
    text: str
    keys: tuple[QKeySequence.StandardKey | str, ...] = ()
    tip: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "新建工作簿…", (_KEY.New,), "新建一个空工作簿"),
    ActionSpec("open", "打开…", (_KEY.Open,), "打开工作簿文件"),
    ActionSpec("save", "保存", (_KEY.Save,), "每次修改都已自动保存；按此键确认正在输入的内容"),
    ActionSpec("save_as", "另存为…", ("Ctrl+Shift+S",)),
    ActionSpec("properties", "工作簿属性…", (), "修改单位编码、单位名称、年度、计分规则和打印模板"),
    ActionSpec(
        "import_xlsx", "从 Excel 导入指标表…", (), "把 Excel / WPS 表格中的指标表（含一级、二级、三级指标列）导入为新表"
    ),
    ActionSpec("copy_forms", "从其他工作簿复制表…", (), "把另一个工作簿（如上年度的）中选定的表复制到当前工作簿"),
    ActionSpec("import", "导入 JSON…", (), "从 JSON 交换文件生成工作簿"),
    ActionSpec("export_json", "导出 JSON…", (), "导出为 JSON 交换文件"),
    ActionSpec("export_pdf", "导出 PDF…", ("Ctrl+P",), "导出 PDF"),
    ActionSpec("export_xlsx", "导出 Excel…", (), "导出为 Excel 工作簿（每张表一个工作表），便于报送或再加工"),
    ActionSpec("print_font", "打印字体…", (), "PDF 使用的中文字体（本机有宋体、仿宋时可选用）"),
    ActionSpec("import_library", "导入指标库…", (), "把指标库文件（JSON）中的指标并入本单位指标库，已有的不重复添加"),
    ActionSpec("export_library", "导出指标库…", (), "把本单位指标库保存为文件，供其他电脑或单位导入"),
    ActionSpec("restore", "从备份恢复…", (), "打开自动备份的工作簿"),
    ActionSpec("consolidate", "汇总下级单位…", (), "读取各下级单位报送的文件，汇总、复核并输出汇总表"),
    ActionSpec("quit", "退出", ("Ctrl+Q",)),
    ActionSpec("undo", "撤销", (_KEY.Undo,)),
    ActionSpec("redo", "重做", ("Ctrl+Y", "Ctrl+Shift+Z")),
    ActionSpec("find", "查找…", (_KEY.Find,), "在全部表中查找文字"),
    ActionSpec("find_next", "查找下一个", ("F3",)),
    ActionSpec("find_previous", "查找上一个", ("Shift+F3",)),
    ActionSpec("replace", "替换…", (_KEY.Replace,), "在全部表中查找并替换文字"),
    ActionSpec("generate", "由目标表生成自评表", (), "以选中的目标表为底稿生成年末自评表"),
    *(ActionSpec(f"new_form:{kind.value}", kind.label) for kind in FormKind),
    ActionSpec("duplicate", "复制表"),
    ActionSpec("add_indicator", "在此添加指标"),
    ActionSpec("add_from_library", "从指标库添加…", (), "按类别和一级 / 二级浏览常用指标，勾选多个一次添加到当前表"),
    ActionSpec("delete", "删除…"),
    ActionSpec("move_up", "上移"),
    ActionSpec("move_down", "下移"),
    ActionSpec("validate", "立即审核", ("F7",), "检查全部表"),
    ActionSpec("about", "关于"),
    ActionSpec("shortcuts", "快捷键一览", ("F1",), "列出全部快捷键"),
    ActionSpec("zoom_in", "放大表格", ("Ctrl+Alt+=",), "放大指标表格（Ctrl+滚轮）"),
    ActionSpec("zoom_out", "缩小表格", ("Ctrl+Alt+-",), "缩小指标表格（Ctrl+滚轮）"),
    ActionSpec("zoom_reset", "表格 100%", ("Ctrl+Alt+0",), "指标表格恢复原始大小"),
)
# The menus: (title, entries); "-" is a separator, "recent" the 最近打开 submenu, "new_forms" the 新建表 one.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "文件(&F)",
        ("new", "open", "recent", "save", "save_as", "properties", "-", "import", "import_xlsx", "copy_forms",
         "export_json", "export_pdf", "export_xlsx", "print_font", "-", "import_library", "export_library", "-",
         "restore", "consolidate", "-", "quit"),
    ),
    ("编辑(&E)", ("undo", "redo", "-", "find", "find_next", "find_previous", "replace")),
    (
        "表格(&T)",
        ("new_forms", "duplicate", "generate", "-", "add_indicator", "add_from_library", "move_up", "move_down",
         "delete", "-", "validate"),
    ),
    ("视图(&V)", ("problems", "-", "zoom_in", "zoom_out", "zoom_reset")),
    ("帮助(&H)", ("shortcuts", "about")),
)  # fmt: skip
TOOLBAR: tuple[str, ...] = ("new", "open", "-", "undo", "redo", "-", "new_forms", "add_indicator", "generate", "-",
                            "export_pdf", "validate")  # fmt: skip
FIXED_TEXT = "fixedText"  # the action's own name (撤销), kept while its text says what it would undo


class WindowActions:
    """Every action of the main window, made once; ``actions.<name>`` is one of them."""

    def __init__(
        self, parent: QWidget, slots: Mapping[str, Callable[[], object]], extra: Mapping[str, QAction]
    ) -> None:
        self._actions: dict[str, QAction] = dict(extra)
        for spec in ACTIONS:
            action = QAction(spec.text, parent)
            action.setProperty(FIXED_TEXT, spec.text)
            if spec.keys:
                action.setShortcuts([QKeySequence(key) for key in spec.keys])
            if spec.tip:
                action.setStatusTip(spec.tip)
                action.setToolTip(spec.tip)
            slot = slots[spec.name]
            action.triggered.connect(lambda _=False, slot=slot: slot())
            self._actions[spec.name] = action
        self.recent_menu: QMenu | None = None

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["_actions"][name]  # type: ignore[no-any-return]
        except KeyError:
            raise AttributeError(name) from None

    def new_form(self, kind: FormKind) -> QAction:
        """The action adding a blank form of a kind."""
        return self._actions[f"new_form:{kind.value}"]

    def fill_menu_bar(self, bar: QMenuBar) -> None:
        """Add the menus to the window's menu bar (``recent_menu`` is the 最近打开 submenu)."""
        for title, entries in MENUS:
            menu = bar.addMenu(title)
            for entry in entries:
                if entry == "-":
                    menu.addSeparator()
                elif entry == "recent":
                    self.recent_menu = menu.addMenu("最近打开")
                elif entry == "new_forms":
                    new_menu = menu.addMenu("新建表")
                    for kind in FormKind:
                        new_menu.addAction(self.new_form(kind))
                else:
                    menu.addAction(self._actions[entry])

    def toolbar(self, parent: QWidget) -> QToolBar:
        """The main toolbar."""
        toolbar = QToolBar("工具栏", parent)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for entry in TOOLBAR:
            if entry == "-":
                toolbar.addSeparator()
            elif entry == "new_forms":
                button = QToolButton(toolbar)
                button.setObjectName("newFormButton")
                button.setText("新建表")
                button.setToolTip("在当前工作簿中新建一张表（项目或部门的目标表 / 自评表）")
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
                menu = QMenu(button)
                for kind in FormKind:
                    menu.addAction(self.new_form(kind))
                button.setMenu(menu)
                toolbar.addWidget(button)
            else:
                toolbar.addAction(self._actions[entry])
        return toolbar


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(where, keys, what) of every shortcut: the menus' (read from their actions), the tree's, the table's, the find
    bar's."""
    native = QKeySequence.SequenceFormat.NativeText
    rows: list[tuple[str, str, str]] = []

    def visit(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                visit(submenu, where)
            elif action.shortcuts():
                keys = " / ".join(key.toString(native) for key in action.shortcuts())
                name = action.property(FIXED_TEXT) or action.text()
                rows.append((where, keys, str(name).rstrip("…").split("\t")[0]))

    for menu_action in bar.actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            visit(menu, menu_action.text().split("(")[0])
    rows += [("左侧目录", QKeySequence(key).toString(native), what) for what, key in TREE_KEYS]
    rows += [("指标表格", keys, what) for keys, what in table_key_help()]
    rows += [("查找栏", "Enter / Shift+Enter", "查找下一个 / 上一个"), ("查找栏", "Esc", "关闭查找栏")]
    return rows
