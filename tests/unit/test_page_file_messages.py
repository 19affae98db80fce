"""A file that cannot be a page is refused in Chinese: never the system's English text."""

from __future__ import annotations

import errno
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from app import oserrors
from app.errors import ValidationError
from app.materials import intake as mi

_LATIN = re.compile(r"[A-Za-z]{4,}")  # "directory", "Permission", "denied" …


def _refusal(path: Path) -> str:
    with pytest.raises(ValidationError) as err:
        mi.read_upload(path)
    assert err.value.field == "page"
    message = str(err.value)
    assert not _LATIN.search(message.replace(path.name, "")), message
    return message


def test_a_folder_chosen_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "扫描").mkdir()
    assert "这是一个文件夹" in _refusal(tmp_path / "扫描")


def test_a_missing_file(tmp_path: Path) -> None:
    assert "文件不存在或已被移走" in _refusal(tmp_path / "gone.jpg")


def test_a_file_without_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "锁定.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"0" * 100)

    def denied(self: Path) -> bytes:  # the tests run as root, whom chmod does not stop
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "没有读取该文件的权限" in _refusal(path)


@pytest.mark.parametrize(
    ("number", "words"),
    [(errno.EISDIR, "文件夹"), (errno.ENOENT, "不存在"), (errno.EACCES, "权限"), (errno.EIO, "")],
)
def test_every_errno_reads_in_chinese(number: int, words: str) -> None:
    said = oserrors.reason(OSError(number, "English words"))
    assert words in said and not _LATIN.search(said)
    assert "代码 9999" in oserrors.reason(OSError(9999, "Strange"))


def test_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "x.jpg").write_bytes(b"")
    assert "文件 x.jpg 是空文件（0 字节）" in _refusal(tmp_path / "x.jpg")
    with pytest.raises(ValidationError, match="是空文件（0 字节）"):
        mi.prepare_pages(b"", "拖入.png")


@pytest.mark.parametrize("version", [b"GIF87a", b"GIF89a"])
def test_a_gif_is_named_as_such(version: bytes) -> None:
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    data = version + out.getvalue()[6:]
    with pytest.raises(ValidationError, match=r"x\.gif 是 GIF 图片，不受支持，请另存为 JPG 或 PNG"):
        mi.prepare_pages(data, "x.gif")
