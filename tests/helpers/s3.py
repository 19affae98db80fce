"""An S3-compatible server for the page-store tests: moto in server mode on 127.0.0.1.

``s3_endpoint`` (session): the server, started on a free port the first time a test asks
for it. :func:`new_s3_store` makes a store on a new bucket (one per call, so tests never
see each other's objects); :func:`age` makes a stored object look old to a sweep.
Loaded by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.materials import stores

ACCESS = ("testing", "testing")  # moto accepts any key
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a moto server running in this process."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_s3_store(endpoint: str, prefix: str = "pages/") -> stores.PageStore:
    """An S3Store on a fresh bucket of the moto server at ``endpoint``."""
    from app.materials.s3store import S3Store

    store = S3Store(
        f"ow-{uuid.uuid4().hex[:12]}",
        prefix,
        endpoint_url=endpoint,
        region=REGION,
        access_key=ACCESS[0],
        secret_key=ACCESS[1],
    )
    store.client.create_bucket(Bucket=store.bucket)
    return store


def make_store(kind: str, folder: Path, endpoint: str | None) -> stores.PageStore:
    """A store of ``kind`` ("db", "file", "s3"); ``endpoint`` is needed for "s3"."""
    if kind == "db":
        return stores.DatabasePageStore()
    if kind == "file":
        return stores.FileStore(folder)
    assert endpoint is not None
    return new_s3_store(endpoint)


def put_raw(store: stores.PageStore, key: str, data: bytes) -> None:
    """Overwrite ``key``'s bytes behind the store's back (a forger with disk/bucket access)."""
    from app.materials.s3store import S3Store

    if isinstance(store, stores.FileStore):
        store.path(key).parent.mkdir(parents=True, exist_ok=True)
        store.path(key).write_bytes(data)
    elif isinstance(store, S3Store):
        store.client.put_object(Bucket=store.bucket, Key=store.object_name(key), Body=data)
    else:
        raise TypeError(store)


def age(store: stores.PageStore, key: str, seconds: float) -> None:
    """Make ``key``'s file or object ``seconds`` old (its mtime / LastModified)."""
    from app.materials.s3store import S3Store

    if isinstance(store, stores.FileStore):
        then = time.time() - seconds
        os.utime(store.path(key), (then, then))
        return
    assert isinstance(store, S3Store)
    # The moto server runs in this process: set the object's time in its backend.
    from moto.s3.models import s3_backends

    partition, account = s3_backends.bucket_accounts[store.bucket]
    bucket = s3_backends[account][partition].buckets[store.bucket]
    stored = bucket.keys[store.object_name(key)]
    stored.last_modified = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=seconds)
