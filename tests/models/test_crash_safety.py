import hashlib
import random
import subprocess
import sys
from pathlib import Path

from desktop.models.formats import interchange
from desktop.models.storage import safety, store
from desktop.models.workbook.domain import Workbook
from tests.benchmarks import stress_kill
from tests.helpers.fixtures import snapshot

# A process that dies (SIGKILL, like a power cut for the file) in the middle of a large transaction.
_DIE_MID_TRANSACTION = """
import os, signal, sys
from desktop.models.workbook.domain import Indicator
from desktop.models.storage.store import open_workbook
document = open_workbook(sys.argv[1])
document.store._connection().exec_driver_sql("PRAGMA cache_size = 5")  # spill pages into the file early
document.store._connection().commit()
form = document.workbook.forms[0]
with document.transaction():
    document.insert_items(form, "indicators", 0, [Indicator(name="未提交" * 300) for _ in range(300)])
    document.set_fields(form, title="未提交的标题")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_killed_mid_transaction_leaves_the_last_commit(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    expected = snapshot(wuwei)
    died = subprocess.run([sys.executable, "-c", _DIE_MID_TRANSACTION, str(path)], cwd=stress_kill.REPO)
    assert died.returncode == -9
    journal = tmp_path / "w.jxdb-journal"
    assert journal.exists() and safety.lock_path_for(path).exists()  # a hot journal and a stale lock
    state = (_digest(path), _digest(journal))

    reader = store.open_workbook(path, read_only=True)  # rolls back a private copy, changes nothing
    assert snapshot(reader.workbook) == expected
    reader.close()
    assert (_digest(path), _digest(journal)) == state

    document = store.open_workbook(path)  # takes over the stale lock, rolls the journal back
    assert not document.read_only
    assert snapshot(document.workbook) == expected
    document.set_fields(document.workbook.forms[0], title="崩溃后继续编辑")
    document.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.jxdb"]
    assert store.load_any(path).forms[0].title == "崩溃后继续编辑"


def test_edits_survive_random_kills(tmp_path: Path) -> None:
    rng = random.Random(20250301)
    path = tmp_path / "stress.jxdb"
    stress_kill.make_start_file(path)
    acknowledged = 0
    for _ in range(5):
        outcome = stress_kill.kill_cycle(path, rng)
        assert outcome.problems == []
        assert outcome.lost == []
        acknowledged += len(outcome.acknowledged)
    assert acknowledged > 0  # the kills did land among committed edits


def test_killed_import_leaves_no_file_or_a_whole_one(tmp_path: Path, wuwei: Workbook) -> None:
    rng = random.Random(7)
    sample = stress_kill.SAMPLE
    duration = stress_kill.time_import(sample, tmp_path)
    target = tmp_path / "import.jxdb"
    seen = set()
    for i in range(4):
        if i == 2:  # from now on an old workbook is there to be replaced (or kept)
            target.unlink(missing_ok=True)
            store.create_workbook_file(target, wuwei).close()
        delay = duration * (0.2 + 0.3 * i) if i < 2 else rng.uniform(0.3, 1.1) * duration
        seen.add(stress_kill.import_kill_cycle(sample, target, rng, max_delay=delay))
    assert seen <= {"absent", "old", "new"}
    if target.exists():
        assert snapshot(store.load_any(target)) in (snapshot(wuwei), snapshot(interchange.load_path(str(sample))))
