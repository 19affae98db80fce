"""Page bytes in an S3-compatible object store (MinIO, Ceph RGW, a cloud's OSS/COS/S3).

:class:`S3Store` (``"s3"``) keeps each blob as the object ``<prefix><sha256>`` in one
bucket, written (``put_object``) *before* the caller commits, like the file store: a
rolled-back or killed outcome leaves an orphan object, never a page row without its
object; :meth:`S3Store.sweep` deletes orphans older than the grace.

boto3 is imported when a store is made, so a hall on the database store never loads it.
Timeouts are short (5 s to connect, 5 s per read, one retry): a dead endpoint costs the
counter seconds, not minutes, and every failure becomes an
:class:`~app.errors.EnvironmentProblem` with a Chinese message.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.errors import EnvironmentProblem
from app.materials.stores import _KEY, ORPHAN_GRACE_S, check_key, missing

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 5.0
MAX_ATTEMPTS = 2  # the first try and one retry
# An object this old that is written again (the same content as an orphan of a failed
# outcome) is rewritten so its age restarts and a sweep running now cannot delete it.
REFRESH_AFTER_S = ORPHAN_GRACE_S / 4
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_DENIED = {
    "403",
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AllAccessDisabled",
    "InvalidToken",
    "ExpiredToken",
}


class S3Store:
    """Blobs as objects ``<prefix><key>`` in ``bucket`` (see the module docstring).

    ``endpoint_url``: ``http(s)://host:port`` of an S3-compatible server, or ``None`` for
    the provider's default; ``region``: the signing region (``None``: from the AWS config);
    ``access_key``/``secret_key``: both, or neither for boto3's usual chain (the
    ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` variables, ``~/.aws/credentials``).
    Making a store does not contact the server.
    """

    kind = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix
        self.where = f"{endpoint_url or 'S3'}/{bucket}/{prefix}"
        config = Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
            # Many S3-compatible servers refuse the newer default CRC checksums.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            s3={"addressing_style": "path"} if endpoint_url else None,
        )
        try:
            self.client: Any = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region or None,
                aws_access_key_id=access_key or None,
                aws_secret_access_key=secret_key or None,
                config=config,
            )
        except Exception as exc:  # a malformed endpoint or region; botocore's own words
            raise EnvironmentProblem(
                f"对象存储配置有误（s3_endpoint / s3_region）：{exc}", repr(exc)
            ) from exc

    def object_name(self, key: str) -> str:
        """The object's name in the bucket: ``<prefix><key>``."""
        return self.prefix + check_key(key)

    def put(self, session: Session, key: str, data: bytes) -> None:
        """Upload unless the object is there (and recent); before the caller commits."""
        name = self.object_name(key)
        with self._errors(key, "保存"):
            try:
                head = self.client.head_object(Bucket=self.bucket, Key=name)
            except Exception as exc:
                if _code(exc) not in _NOT_FOUND:
                    raise
            else:
                age = time.time() - _timestamp(head.get("LastModified"))
                if age < REFRESH_AFTER_S:
                    return
            self.client.put_object(
                Bucket=self.bucket, Key=name, Body=data, ContentType="application/octet-stream"
            )

    def get(self, session: Session, key: str) -> bytes:
        """The object's bytes; EnvironmentProblem if it is gone or cannot be read."""
        name = self.object_name(key)
        with self._errors(key, "读取"):
            body = self.client.get_object(Bucket=self.bucket, Key=name)["Body"]
            try:
                return bytes(body.read())
            finally:
                body.close()

    def delete(self, session: Session, key: str) -> None:
        """Delete the object (nothing if absent)."""
        name = self.object_name(key)
        with self._errors(key, "删除"):
            self.client.delete_object(Bucket=self.bucket, Key=name)

    def sweep(self, keep: set[str], older_than_s: float = ORPHAN_GRACE_S) -> int:
        """Delete objects under the prefix not in ``keep`` and older than the grace.

        Only names that are a page key are considered (other objects under the prefix are
        left alone). Returns how many were deleted; EnvironmentProblem if the store
        cannot be listed or an object cannot be deleted.
        """
        cutoff = time.time() - older_than_s
        removed = 0
        with self._errors("", "清理"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for item in page.get("Contents", []):
                    name = str(item["Key"])
                    key = name[len(self.prefix) :]
                    if not _KEY.fullmatch(key) or key in keep:
                        continue
                    if _timestamp(item.get("LastModified")) > cutoff:
                        continue
                    self.client.delete_object(Bucket=self.bucket, Key=name)
                    removed += 1
        return removed

    @contextmanager
    def _errors(self, key: str, doing: str) -> Iterator[None]:
        """Turn botocore's exceptions into EnvironmentProblem (``missing`` for a gone key)."""
        try:
            yield
        except Exception as exc:
            if isinstance(exc, EnvironmentProblem) or not _is_boto(exc):
                raise
            where, code = self.where, _code(exc)
            if code in _NOT_FOUND and key:
                raise missing(key, where) from exc
            if code == "NoSuchBucket":
                message = f"对象存储中没有存储桶 {self.bucket}（{where}），请检查配置 s3_bucket。"
            elif code in _DENIED:
                message = f"对象存储拒绝访问（{where}），请检查访问密钥与权限。"
            elif code:
                message = f"无法{doing}材料页（对象存储 {where}）：{code}"
            else:
                message = f"无法连接对象存储 {where}，请检查网络或 s3_endpoint 配置。"
            raise EnvironmentProblem(message, f"s3 {doing} {key}: {exc}") from exc


def _is_boto(exc: BaseException) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(exc, BotoCoreError | ClientError)


def _code(exc: BaseException) -> str:
    """The S3 error code of a ClientError (``NoSuchKey``, ``404``, …); "" otherwise."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return ""
    return str(response.get("Error", {}).get("Code", ""))


def _timestamp(value: object) -> float:
    """Seconds since the epoch of a LastModified datetime (now if it is missing)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return time.time()
