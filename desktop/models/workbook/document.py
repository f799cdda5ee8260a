"""An open workbook: the domain tree in memory, the store that persists it, and its edit operations.

Every edit goes through one of the few operations here (set fields, insert / remove / move list
items, set or clear an optional child). Each is written to the store as one transaction before
listeners hear of it; ``with document.transaction():`` groups several into one (a paste). If the
store refuses (disk full, read-only, file gone), the in-memory change is rolled back and the
``UserError`` propagates, so the screen never shows what the file does not hold.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from desktop.models.errors import UserError
from desktop.models.limits import check_tree
from desktop.models.workbook.domain import ChildName, Form, ListName, Workbook

if TYPE_CHECKING:
    from desktop.models.storage.safety import LockRefusal


class Store(Protocol):
    """Persists edits of a workbook's domain objects (one transaction per ``transaction`` block)."""

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group the writes inside into one transaction; roll all back if the block raises."""
        ...

    def update(self, obj: object, fields: Sequence[str]) -> None:
        """Write these fields of an object already stored."""
        ...

    def insert(self, parent: object, attr: str, index: int, items: Sequence[object]) -> None:
        """Store new items placed at ``parent.<attr>[index:index+len(items)]`` (list already updated)."""
        ...

    def remove(self, parent: object, attr: str, items: Sequence[object]) -> None:
        """Delete these items (already taken out of ``parent.<attr>``) and everything under them."""
        ...

    def reorder(self, parent: object, attr: str) -> None:
        """Write the positions of ``parent.<attr>`` as the list now stands."""
        ...

    def set_child(self, parent: object, attr: str, old: object | None, new: object | None) -> None:
        """Replace an optional single child (form.unit / budget / signoff): delete old, store new."""
        ...

    def close(self) -> None:
        """Finish writing and release the file."""
        ...


def differs(old: object, new: object) -> bool:
    """Whether storing ``new`` over ``old`` changes anything.

    ``Decimal("1") == Decimal("1.0")``, but the user typed something different: the text is compared too.
    """
    return bool(old != new or repr(old) != repr(new))


class MemoryStore:
    """A store that keeps nothing (a workbook not backed by a file, and fast tests)."""

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def update(self, obj: object, fields: Sequence[str]) -> None:
        pass

    def insert(self, parent: object, attr: str, index: int, items: Sequence[object]) -> None:
        pass

    def remove(self, parent: object, attr: str, items: Sequence[object]) -> None:
        pass

    def reorder(self, parent: object, attr: str) -> None:
        pass

    def set_child(self, parent: object, attr: str, old: object | None, new: object | None) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class Change:
    """What one edit changed, as told to listeners.

    ``kind`` is ``"fields"`` (``obj`` and ``fields``), ``"insert"`` / ``"remove"`` (``obj`` is the
    parent, ``attr`` the list, ``index`` the first row, ``items`` the objects), ``"move"`` (``index`` the
    old row, ``to`` the new one) or ``"child"`` (``obj`` the parent, ``attr`` the child's name).
    """

    kind: str
    obj: object
    fields: tuple[str, ...] = ()
    attr: str = ""
    index: int = 0
    to: int = 0
    items: tuple[object, ...] = ()

    def removes(self, obj: object) -> bool:
        """Whether this change takes ``obj`` out of its list (a view showing it must let go)."""
        return self.kind == "remove" and any(item is obj for item in self.items)


Listener = Callable[[Change], None]


class WorkbookDocument:
    """An open workbook and its edit operations.

    Attributes:
        workbook: the domain tree (the one strong reference views index into).
        store: where edits are written.
        path: the workbook file, or None for one held in memory only.
        read_only: edits are refused (another program holds the file, or it is a backup).
        lock_message: why the file was opened read-only (Chinese, for the GUI), else "".
    """

    def __init__(
        self, workbook: Workbook, store: Store | None = None, path: str | None = None, read_only: bool = False
    ) -> None:
        self.workbook = workbook
        self.store: Store = store or MemoryStore()
        self.path = path
        self.read_only = read_only
        self.lock_message = ""
        #: Why the file could not be locked for writing (owner, whether it may be broken), else None.
        self.lock_refusal: LockRefusal | None = None
        self._listeners: list[Listener] = []
        self._pending: list[Change] | None = None  # changes of the open transaction, told after commit
        self._undo_log: list[Callable[[], None]] = []  # how to undo its in-memory edits if a write fails

    # ---- listening --------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(change)`` after every committed edit."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop telling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        if self._pending is not None:
            self._pending.append(change)
            return
        for listener in list(self._listeners):
            listener(change)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group the edits inside into one stored transaction; listeners hear after it commits.

        If a write fails, the in-memory edits made inside are undone in reverse order.
        """
        if self._pending is not None:
            yield
            return
        self._pending = []
        self._undo_log = []
        try:
            with self.store.transaction():
                yield
        except BaseException:
            for undo in reversed(self._undo_log):
                undo()
            self._pending = None
            raise
        changes, self._pending = self._pending, None
        for change in changes:
            for listener in list(self._listeners):
                listener(change)

    def _check_writable(self) -> None:
        if self.read_only:
            raise UserError("工作簿以只读方式打开，不能修改。")

    def _record(self, undo: Callable[[], None]) -> None:
        if self._pending is not None:
            self._undo_log.append(undo)

    # ---- edits ------------------------------------------------------------------------------

    def set_fields(self, obj: object, **values: Any) -> None:
        """Set fields of one domain object (an indicator, a form, a fund line, …)."""
        self._check_writable()
        for name, value in values.items():
            check_tree(value, name)  # typing and paste meet the same bounds as JSON and Excel
        old = {name: getattr(obj, name) for name in values}
        changed = tuple(n for n, v in values.items() if differs(old[n], v))
        if not changed:
            return
        with self.transaction():
            for name in changed:
                setattr(obj, name, values[name])

            def undo() -> None:
                for name in changed:
                    setattr(obj, name, old[name])

            self._record(undo)
            self.store.update(obj, changed)
            self._emit(Change("fields", obj, fields=changed))

    def insert_items(self, parent: object, attr: ListName, index: int, items: Sequence[object]) -> None:
        """Insert items into ``parent.<attr>`` (forms, indicators, funds, goals, spending_plan) at ``index``."""
        self._check_writable()
        if not items:
            return
        check_tree(list(items), attr)
        with self.transaction():
            lst = getattr(parent, attr)
            created = lst is None
            if created:
                lst = []
                setattr(parent, attr, lst)
            index = max(0, min(index, len(lst)))
            lst[index:index] = list(items)

            def undo() -> None:
                del lst[index : index + len(items)]
                if created:
                    setattr(parent, attr, None)

            self._record(undo)
            self.store.insert(parent, attr, index, items)
            self._emit(Change("insert", parent, attr=attr, index=index, items=tuple(items)))

    def remove_items(self, parent: object, attr: ListName, index: int, count: int = 1) -> list[Any]:
        """Remove ``count`` items from ``parent.<attr>`` starting at ``index``; returns them."""
        self._check_writable()
        lst = getattr(parent, attr)
        removed = list(lst[index : index + count])
        if not removed:
            return []
        with self.transaction():
            del lst[index : index + len(removed)]

            def undo() -> None:
                lst[index:index] = removed

            self._record(undo)
            self.store.remove(parent, attr, removed)
            self.store.reorder(parent, attr)
            self._emit(Change("remove", parent, attr=attr, index=index, items=tuple(removed)))
        return removed

    def move_item(self, parent: object, attr: ListName, index: int, to: int) -> None:
        """Move ``parent.<attr>[index]`` so that it ends up at position ``to``."""
        self._check_writable()
        lst = getattr(parent, attr)
        if index == to or not (0 <= index < len(lst)) or not (0 <= to < len(lst)):
            return
        with self.transaction():
            item = lst.pop(index)
            lst.insert(to, item)

            def undo() -> None:
                lst.insert(index, lst.pop(to))

            self._record(undo)
            self.store.reorder(parent, attr)
            self._emit(Change("move", parent, attr=attr, index=index, to=to, items=(item,)))

    def set_child(self, parent: object, attr: ChildName, child: object | None) -> None:
        """Set or clear an optional single child (``form.unit``, ``form.budget``, ``form.signoff``)."""
        self._check_writable()
        old = getattr(parent, attr)
        if old is child:
            return
        with self.transaction():
            setattr(parent, attr, child)
            self._record(lambda: setattr(parent, attr, old))
            self.store.set_child(parent, attr, old, child)
            self._emit(Change("child", parent, attr=attr, items=(child,) if child is not None else ()))

    # ---- queries ----------------------------------------------------------------------------

    def form_of(self, obj: object) -> Form | None:
        """The form that holds this object (itself if it is a form)."""
        if isinstance(obj, Form):
            return obj
        for form in self.workbook.forms:
            if (
                obj in form.indicators
                or obj in (form.funds or ())
                or obj in (form.goals or ())
                or obj in (form.spending_plan or ())
                or obj is form.budget
                or obj is form.signoff
                or obj is form.unit
            ):
                return form
        return None

    def close(self) -> None:
        """Close the store (the file is complete on disk afterwards)."""
        self.store.close()
