"""Why a file could not be read or written, in Chinese, from the error's errno.

The operating system's ``strerror`` is English ("Is a directory") or in the Windows
language; the clerk reads Chinese. :func:`reason` maps the errno numbers a counter PC
meets and names any other by its number only.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.EISDIR: "这是一个文件夹，请选择其中的文件",
    errno.ENOENT: "文件不存在或已被移走",
    errno.EACCES: "没有读取该文件的权限",
    errno.EPERM: "没有读取该文件的权限",
    errno.ENOTDIR: "路径中的文件夹不存在",
    errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "磁盘为只读",
    errno.EBUSY: "文件正被其他程序使用，请稍后重试",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EIO: "读写磁盘出错（磁盘或网络故障）",
}


def reason(exc: OSError, writing: bool = False) -> str:
    """A Chinese phrase for ``exc`` (e.g. ``"文件不存在或已被移走"``); never English text.

    ``writing``: a permission error while writing says ``"没有写入该位置的权限"``.
    """
    if writing and isinstance(exc, PermissionError | IsADirectoryError):
        return "没有写入该位置的权限"
    if isinstance(exc, IsADirectoryError):
        return _REASONS[errno.EISDIR]
    if isinstance(exc, FileNotFoundError):
        return _REASONS[errno.ENOENT]
    if isinstance(exc, PermissionError):
        return _REASONS[errno.EACCES]
    known = _REASONS.get(exc.errno or -1)
    if known:
        return known
    return f"系统错误（代码 {exc.errno}）" if exc.errno else "系统错误"
