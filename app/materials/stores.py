"""Where page bytes live: one interface, a database store and a file store.

A :class:`PageStore` keeps blobs under keys that are the SHA-256 (64 lower-case hex
digits) of their bytes, so a key names its content: writing the same page twice writes it
once, and a swapped blob shows as a hash that no longer matches.

* :class:`DatabasePageStore` (``"db"``, the default): ``case_page_blob`` rows, written in
  the caller's session, so the bytes commit or roll back with the case; backups are whole.
* :class:`FileStore` (``"file"``): a directory (``ab/abcd…``), each file written
  atomically (temp file, fsync, rename, fsync of the folder) *before* the caller commits.
  A rolled-back or killed outcome leaves orphan files, never a page row without its
  file; :meth:`FileStore.sweep` deletes orphans older than an hour.

* :class:`~app.materials.s3store.S3Store` (``"s3"``, its own module): objects in an
  S3-compatible bucket, written before commit like the file store.

Writing content that is already there refreshes its age (the file's mtime, the object's
LastModified when old), so an orphan of a failed outcome that a new case writes again is
never swept from under that case.

Which store a :class:`~app.db.session.Database` uses is set once by the composition root
(:func:`use_store`, with :func:`from_settings`); without it, the database store.
"""

from __future__ import annotations

import os
import re
import time
import uuid
import weakref
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.models import PageBlob
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.oserrors import reason

_KEY = re.compile(r"[0-9a-f]{64}")
ORPHAN_GRACE_S = 3600.0  # an outcome still running may have written its files this long ago


def check_key(key: str) -> str:
    """``key`` if it is a SHA-256 in hex; ValueError otherwise (a bug, never user input)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a page key: {key!r}")
    return key


def missing(key: str, where: str) -> EnvironmentProblem:
    """A page row whose bytes are gone (deleted file, damaged table)."""
    return EnvironmentProblem(
        f"材料页图像缺失（{where}），请联系系统管理员从备份恢复。", f"page blob {key} missing"
    )


class PageStore(Protocol):
    """Keeps page and thumbnail bytes under their SHA-256 (see the module docstring)."""

    kind: str  # written on each page row: "db", "file", "s3"

    def put(self, session: Session, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (idempotent); with the caller's transaction if it can."""
        ...

    def get(self, session: Session, key: str) -> bytes:
        """The bytes under ``key``; EnvironmentProblem if they are gone."""
        ...

    def delete(self, session: Session, key: str) -> None:
        """Forget ``key`` (nothing if absent). Only for keys no page row refers to."""
        ...


class DatabasePageStore:
    """Blobs in ``case_page_blob``, in the caller's transaction."""

    kind = "db"

    def put(self, session: Session, key: str, data: bytes) -> None:
        """Insert unless the same content is already there (concurrent writers agree)."""
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(PageBlob).values(sha256=check_key(key), data=data)
        session.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))

    def get(self, session: Session, key: str) -> bytes:
        """The blob's bytes."""
        data = session.scalar(select(PageBlob.data).where(PageBlob.sha256 == check_key(key)))
        if data is None:
            raise missing(key, "数据库")
        return bytes(data)

    def delete(self, session: Session, key: str) -> None:
        """Delete the blob row."""
        blob = session.get(PageBlob, check_key(key))
        if blob is not None:
            session.delete(blob)


class FileStore:
    """Blobs as files under ``directory`` (content-addressed, written atomically)."""

    kind = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        """Where ``key``'s bytes are (``ab/abcd…``)."""
        return self.directory / key[:2] / check_key(key)

    def put(self, session: Session, key: str, data: bytes) -> None:
        """Write the file unless it exists: temp file, fsync, rename, fsync the folder."""
        target = self.path(key)
        try:
            os.utime(target)  # there already: its age restarts (see the module docstring)
            return
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise EnvironmentProblem(
                f"无法保存材料页到 {self.directory}：{reason(exc, writing=True)}", str(exc)
            ) from exc
        temp = target.with_name(f".{key}.{uuid.uuid4().hex}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
            _sync_folder(target.parent)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise EnvironmentProblem(
                f"无法保存材料页到 {self.directory}：{reason(exc, writing=True)}", str(exc)
            ) from exc

    def get(self, session: Session, key: str) -> bytes:
        """The file's bytes."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise missing(key, str(self.directory)) from exc
        except OSError as exc:
            raise EnvironmentProblem(
                f"无法读取材料页（{self.directory}）：{reason(exc)}", str(exc)
            ) from exc

    def delete(self, session: Session, key: str) -> None:
        """Delete the file."""
        self.path(key).unlink(missing_ok=True)

    def sweep(self, keep: set[str], older_than_s: float = ORPHAN_GRACE_S) -> int:
        """Delete files (and stale temp files) not in ``keep`` and older than the grace.

        Returns how many were deleted. ``keep`` is every key a page row refers to
        (:func:`app.materials.records.referenced_keys`).
        """
        cutoff = time.time() - older_than_s
        removed = 0
        try:
            for path in self.directory.glob("??/*"):
                try:
                    if path.name in keep or path.stat().st_mtime > cutoff:
                        continue
                    path.unlink()
                except FileNotFoundError:  # another PC's sweep was first
                    continue
                removed += 1
        except OSError as exc:
            raise EnvironmentProblem(
                f"无法清理材料页目录 {self.directory}：{reason(exc, writing=True)}", str(exc)
            ) from exc
        return removed


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_STORES: weakref.WeakKeyDictionary[Database, PageStore] = weakref.WeakKeyDictionary()
_DEFAULT = DatabasePageStore()


def use_store(db: Database, store: PageStore) -> None:
    """Keep ``db``'s pages in ``store`` from now on (the composition root calls this)."""
    _STORES[db] = store


def store_of(db: Database) -> PageStore:
    """The store ``db``'s pages go to (the database store unless :func:`use_store` said)."""
    return _STORES.get(db, _DEFAULT)


STORE_NAMES = {"db": "数据库", "file": "文件目录", "s3": "对象存储"}


def reading_store(db: Database, kind: str) -> PageStore:
    """The store to read a page written to a store of ``kind`` (its row's ``storage``).

    Pages stay where they were written: a hall that moved from the database store to a
    file or S3 store still reads its earlier pages from the database. A page kept in a
    file or object store this PC is not configured for cannot be read: EnvironmentProblem.
    """
    current = store_of(db)
    if kind == current.kind:
        return current
    if kind == _DEFAULT.kind:
        return _DEFAULT
    raise EnvironmentProblem(
        f"材料页保存在{STORE_NAMES.get(kind, kind)}中，本机配置的是"
        f"{STORE_NAMES.get(current.kind, current.kind)}（config.toml 的 page_store），无法读取。",
        f"page stored in {kind!r}, configured store {current.kind!r}",
    )


def from_settings(settings: Settings) -> PageStore:
    """The store ``settings`` name (``page_store``: db, file or s3); the demo's is the db.

    Contacts nothing; a store that cannot be reached says so when a page is written or read.
    """
    if settings.demo or settings.page_store == "db":
        return _DEFAULT
    if settings.page_store == "file":
        return FileStore(Path(settings.page_store_dir))
    from app.materials.s3store import S3Store

    return S3Store(
        settings.s3_bucket,
        settings.s3_prefix,
        endpoint_url=settings.s3_endpoint or None,
        region=settings.s3_region or None,
        access_key=settings.s3_access_key or None,
        secret_key=settings.s3_secret_key or None,
    )
