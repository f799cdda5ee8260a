"""An open workbook: the domain tree in memory, the store that persists it, and its edit operations.

Every edit goes through one of the few operations here (set fields, insert / remove / move list
items, set or clear an optional child). Each is written to the store as one transaction before
listeners hear of it; ``with document.transaction():`` groups several into one (a paste). If the
store refuses (disk full, read-only, file gone), the in-memory change is rolled back and the
``UserError`` propagates, so the screen never shows what the file does not hold.

Deferred commits (``defer_commits``, the window's choice): the store's statements still run inside the
edit (a file gone, replaced or locked is refused at once, as above), but the COMMIT — the ``fsync`` of
``synchronous=FULL``, 1–17 ms — waits for ``flush()``, which the window calls after the paint. At most
one edit is uncommitted: the next edit, closing and ``flush()`` commit it first. If that commit fails,
the edit is rolled back in memory too, listeners hear the reverse changes (the screen shows what the
file holds again), and write-failure listeners hear the message (the undo stack steps back).
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
FailureListener = Callable[[int, str], None]


def _reverse(change: Change, old: object = None) -> Change:
    """The change that tells listeners an edit was rolled back (``old``: a replaced single child)."""
    if change.kind == "insert":
        return Change("remove", change.obj, attr=change.attr, index=change.index, items=change.items)
    if change.kind == "remove":
        return Change("insert", change.obj, attr=change.attr, index=change.index, items=change.items)
    if change.kind == "move":
        return Change("move", change.obj, attr=change.attr, index=change.to, to=change.index, items=change.items)
    if change.kind == "child":
        return Change("child", change.obj, attr=change.attr, items=(old,) if old is not None else ())
    return change  # fields: listeners read the restored values


@dataclass
class _Uncommitted:
    """An edit whose statements the store holds in an open transaction, not committed yet."""

    held: contextlib.AbstractContextManager[None]  # the store's transaction, entered
    undo: list[Callable[[], None]]
    reverse: list[Change]
    serial: int


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
        self._reverse_log: list[Change] = []  # what listeners hear if an edit told already is rolled back
        #: Commit each edit at ``flush()`` (the window: after the paint) instead of at once.
        self.defer_commits = False
        #: Counts deferred edits; a write-failure listener hears the number of the edit rolled back.
        self.write_serial = 0
        self._uncommitted: _Uncommitted | None = None
        self._pending_listeners: list[Callable[[], None]] = []
        self._failure_listeners: list[FailureListener] = []

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

    def subscribe_writes(self, pending: Callable[[], None], failed: FailureListener) -> None:
        """Deferred commits: ``pending()`` after an edit left its commit for ``flush``;
        ``failed(serial, message)`` after such a commit failed and the edit was rolled back."""
        self._pending_listeners.append(pending)
        self._failure_listeners.append(failed)

    @property
    def write_pending(self) -> bool:
        """Whether an edit is shown but not yet committed to the file."""
        return self._uncommitted is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group the edits inside into one stored transaction; listeners hear after it commits
        (with ``defer_commits``: after its statements ran; the commit waits for ``flush``).

        If a write fails, the in-memory edits made inside are undone in reverse order. An edit
        still uncommitted is committed first; if that fails, this one is refused with its message.
        """
        if self._pending is not None:
            yield
            return
        refused = self.flush()
        if refused is not None:
            raise UserError(refused)
        self._pending = []
        self._undo_log = []
        self._reverse_log = []
        held = self.store.transaction()
        try:
            if self.defer_commits:
                held.__enter__()
                try:
                    yield
                except BaseException as exc:
                    held.__exit__(type(exc), exc, exc.__traceback__)  # the store rolls back and lets it pass
                    raise
            else:
                with held:
                    yield
        except BaseException:
            for undo in reversed(self._undo_log):
                undo()
            self._pending = None
            raise
        changes, self._pending = self._pending, None
        if self.defer_commits:
            self.write_serial += 1
            self._uncommitted = _Uncommitted(held, self._undo_log, self._reverse_log, self.write_serial)
            if not changes:
                self.flush()  # nothing to wait for
        self._tell(changes)
        if self._uncommitted is not None:
            for pending in list(self._pending_listeners):
                pending()

    def flush(self) -> str | None:
        """Commit the edit left uncommitted (``defer_commits``); None when done or nothing was waiting.

        If the store refuses the commit, the edit is rolled back in memory, listeners hear the reverse
        changes, write-failure listeners hear the message, and the Chinese message is returned.
        """
        waiting, self._uncommitted = self._uncommitted, None
        if waiting is None:
            return None
        try:
            waiting.held.__exit__(None, None, None)
        except UserError as exc:
            self._roll_back(waiting)
            for failed in list(self._failure_listeners):
                failed(waiting.serial, exc.message)
            return exc.message
        except BaseException:
            self._roll_back(waiting)
            raise
        return None

    def _roll_back(self, waiting: _Uncommitted) -> None:
        for undo in reversed(waiting.undo):
            undo()
        self._tell(list(reversed(waiting.reverse)))

    def _tell(self, changes: Sequence[Change]) -> None:
        for change in changes:
            for listener in list(self._listeners):
                listener(change)

    def _check_writable(self) -> None:
        if self.read_only:
            raise UserError("工作簿以只读方式打开，不能修改。")

    def _record(self, undo: Callable[[], None], change: Change, old: object = None) -> None:
        if self._pending is not None:
            self._undo_log.append(undo)
            self._reverse_log.append(_reverse(change, old))

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

            change = Change("fields", obj, fields=changed)
            self._record(undo, change)
            self.store.update(obj, changed)
            self._emit(change)

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

            change = Change("insert", parent, attr=attr, index=index, items=tuple(items))
            self._record(undo, change)
            self.store.insert(parent, attr, index, items)
            self._emit(change)

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

            change = Change("remove", parent, attr=attr, index=index, items=tuple(removed))
            self._record(undo, change)
            self.store.remove(parent, attr, removed)
            self.store.reorder(parent, attr)
            self._emit(change)
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

            change = Change("move", parent, attr=attr, index=index, to=to, items=(item,))
            self._record(undo, change)
            self.store.reorder(parent, attr)
            self._emit(change)

    def set_child(self, parent: object, attr: ChildName, child: object | None) -> None:
        """Set or clear an optional single child (``form.unit``, ``form.budget``, ``form.signoff``)."""
        self._check_writable()
        old = getattr(parent, attr)
        if old is child:
            return
        with self.transaction():
            setattr(parent, attr, child)
            change = Change("child", parent, attr=attr, items=(child,) if child is not None else ())
            self._record(lambda: setattr(parent, attr, old), change, old)
            self.store.set_child(parent, attr, old, child)
            self._emit(change)

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
        """Commit what waits, then close the store (the file is complete on disk afterwards).

        Raises:
            UserError: the last edit could not be committed (it was rolled back; the store is closed).
        """
        try:
            refused = self.flush()
        finally:
            self.store.close()
        if refused is not None:
            raise UserError(refused)
