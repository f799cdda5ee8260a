"""Every OS error shown to the user is described in Chinese, never with Python's English text."""

import errno
import os
import re

import pytest

from desktop.models.errors import describe_os_error


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "不存在"),
        (PermissionError(errno.EACCES, "Permission denied"), "权限"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (OSError(errno.EROFS, "Read-only file system"), "只读"),
        (OSError(errno.ENAMETOOLONG, "File name too long"), "太长"),
        (OSError(errno.EIO, "Input/output error"), "U 盘"),
        (OSError(12345, "Something odd"), "代码 12345"),
    ],
)
def test_os_errors_read_in_chinese(exc: OSError, words: str) -> None:
    text = describe_os_error(exc)
    assert words in text
    assert not re.search(r"[A-Za-z]{3,}", text), text


def test_windows_codes_win_over_the_errno_they_map_to() -> None:
    sharing = PermissionError(errno.EACCES, "The process cannot access the file")
    sharing.winerror = 32  # type: ignore[attr-defined]
    assert "其他程序" in describe_os_error(sharing)
    full = OSError(errno.ENOSPC, "There is not enough space on the disk")
    full.winerror = 112  # type: ignore[attr-defined]
    assert describe_os_error(full) == "磁盘空间不足"


def test_a_missing_file_read_by_the_importer_says_so_in_chinese(tmp_path: os.PathLike[str]) -> None:
    from desktop.models.errors import InvalidInputError
    from desktop.models.formats import interchange

    with pytest.raises(InvalidInputError) as info:
        interchange.load_path(os.path.join(tmp_path, "没有.json"))
    assert "不存在" in info.value.message
    assert "No such file" not in info.value.message
