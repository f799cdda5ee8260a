"""User-facing errors: each carries one clear Chinese message and means nothing was changed.

Anything else that escapes the domain layer is a bug. Views and the command line show these
messages as they are; they never show a traceback to the user.
"""

from __future__ import annotations

import errno


class UserError(Exception):
    """An error caused by input or environment, with a Chinese message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInputError(UserError):
    """Imported data (JSON or a cell value) is not valid; names the path and the problem."""


class WorkbookFileError(UserError):
    """A workbook file cannot be opened or written (not a workbook, too new, locked, disk full…)."""


# Windows error codes (``OSError.winerror``) that Python maps to a less precise errno; checked first.
_WINERROR_TEXTS: dict[int, str] = {
    2: "文件不存在",
    3: "文件夹不存在",
    5: "没有访问权限",
    15: "找不到该驱动器（U 盘或网络盘可能已断开）",
    19: "磁盘处于写保护状态",
    21: "设备未就绪（U 盘或光盘可能已拔出）",
    29: "写入设备失败（U 盘可能已拔出）",
    30: "读取设备失败（U 盘可能已拔出）",
    31: "设备没有响应（U 盘或网络盘可能已断开）",
    32: "文件正被其他程序（WPS/Excel/PDF 阅读器）打开，请先关闭它",
    33: "文件的一部分被其他程序锁定，请先关闭正在使用它的程序",
    39: "磁盘空间不足",
    51: "找不到网络上的计算机（网络盘可能已断开）",
    53: "找不到网络路径（网络盘可能已断开）",
    59: "网络出现意外错误（网络盘可能已断开）",
    64: "网络连接已断开",
    65: "网络访问被拒绝",
    67: "找不到网络名称（共享文件夹可能已不存在）",
    112: "磁盘空间不足",
    121: "访问超时（网络盘可能已断开）",
    161: "路径写法不正确",
    123: "文件名、文件夹名或卷标语法不正确",
    206: "文件名或路径太长",
    1006: "文件所在的卷已被外部改动（U 盘或网络盘可能已断开）",
    1117: "读写设备出错（U 盘或网络盘可能已断开）",
    1167: "设备未连接（U 盘可能已拔出）",
    1224: "文件正被其他程序映射打开，请先关闭它",
}

_ERRNO_TEXTS: dict[int, str] = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "不允许此操作（没有权限）",
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EEXIST: "文件已存在",
    errno.EIO: "读写设备出错（U 盘或网络盘可能已断开）",
    errno.ENXIO: "设备不存在（U 盘或网络盘可能已断开）",
    errno.ENODEV: "设备不存在（U 盘或网络盘可能已断开）",
    errno.ETIMEDOUT: "访问超时（网络盘可能已断开）",
    errno.EMFILE: "打开的文件太多",
    errno.EFBIG: "文件太大",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ELOOP: "路径中的链接太多（可能是循环链接）",
    errno.EINVAL: "文件名或参数无效",
}


def describe_os_error(exc: OSError) -> str:
    """A short Chinese phrase for an OS error (never Python's English text), e.g. 「文件或文件夹不存在」.

    ``winerror`` is checked before ``errno``: Windows maps a sharing violation (32) and a full disk (112)
    to errno values (EACCES, ENOSPC or none) whose usual words would mislead.
    """
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINERROR_TEXTS:
        return _WINERROR_TEXTS[winerror]
    if exc.errno is not None and exc.errno in _ERRNO_TEXTS:
        return _ERRNO_TEXTS[exc.errno]
    code = winerror if isinstance(winerror, int) else exc.errno
    return f"系统错误（代码 {code}）" if code is not None else "系统错误"
