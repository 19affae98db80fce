"""The S3 page store against a moto server: its errors are Chinese EnvironmentProblems
(missing object, missing bucket, access denied, unreachable endpoint), its sweep touches
only page keys under its prefix; and the page store chosen in config.toml."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from app.config import load_settings
from app.errors import EnvironmentProblem
from app.materials import stores
from app.materials.s3store import S3Store
from tests.helpers.s3 import new_s3_store

DATA = b"page"
KEY = hashlib.sha256(DATA).hexdigest()
SESSION: Any = None  # the S3 store never uses the caller's session


def test_a_missing_object_or_bucket_and_a_refusal_are_explained(s3_endpoint: str) -> None:
    store = new_s3_store(s3_endpoint)
    assert isinstance(store, S3Store)
    with pytest.raises(EnvironmentProblem, match="材料页图像缺失"):
        store.get(SESSION, KEY)
    store.delete(SESSION, KEY)  # absent: nothing
    nobucket = S3Store("never-made", endpoint_url=s3_endpoint, access_key="a", secret_key="b")
    with pytest.raises(EnvironmentProblem, match=r"没有存储桶 never-made.*s3_bucket"):
        nobucket.put(SESSION, KEY, DATA)
    with Stubber(store.client) as stub:
        stub.add_client_error("get_object", "AccessDenied", "Access Denied", 403)
        with pytest.raises(EnvironmentProblem, match=r"拒绝访问.*访问密钥"):
            store.get(SESSION, KEY)


def test_an_unreachable_endpoint_fails_fast_with_a_message() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = S3Store("b", endpoint_url=f"http://127.0.0.1:{port}", access_key="a", secret_key="b")
    with pytest.raises(EnvironmentProblem, match=r"无法连接对象存储.*s3_endpoint") as caught:
        store.put(SESSION, KEY, DATA)
    assert "Traceback" not in caught.value.message


def test_the_sweep_leaves_other_objects_alone(s3_endpoint: str) -> None:
    store = new_s3_store(s3_endpoint, prefix="hall1/")
    assert isinstance(store, S3Store)
    store.put(SESSION, KEY, DATA)
    for name in ("hall1/notes.txt", "other/" + KEY):
        store.client.put_object(Bucket=store.bucket, Key=name, Body=b"x")
    assert store.sweep(set(), older_than_s=0) == 1
    listed = store.client.list_objects_v2(Bucket=store.bucket)["Contents"]
    assert sorted(o["Key"] for o in listed) == ["hall1/notes.txt", "other/" + KEY]


def _settings(tmp_path: Path, text: str, demo: bool = False) -> Any:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(demo=demo, config_path=path)


def test_the_page_store_comes_from_config(tmp_path: Path, s3_endpoint: str) -> None:
    assert isinstance(stores.from_settings(_settings(tmp_path, "")), stores.DatabasePageStore)
    folder = (tmp_path / "pages").as_posix()
    chosen = stores.from_settings(
        _settings(tmp_path, f'page_store = "file"\npage_store_dir = "{folder}"\n')
    )
    assert isinstance(chosen, stores.FileStore) and chosen.directory == Path(folder)
    s3 = _settings(
        tmp_path,
        f'page_store = "S3"\ns3_endpoint = "{s3_endpoint}"\ns3_bucket = "hall"\n'
        's3_access_key = "k"\ns3_secret_key = "secret"\n',
    )
    assert "secret" not in repr(s3)
    made = stores.from_settings(s3)
    assert isinstance(made, S3Store) and (made.bucket, made.prefix) == ("hall", "pages/")
    demo = _settings(tmp_path, f'page_store = "file"\npage_store_dir = "{folder}"\n', demo=True)
    assert isinstance(stores.from_settings(demo), stores.DatabasePageStore)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('page_store = "ftp"\n', "page_store 应为 db、file 或 s3"),
        ('page_store = "file"\n', "page_store_dir"),
        ('page_store = "file"\npage_store_dir = "pages"\n', "绝对路径"),
        ('page_store = "s3"\n', "s3_bucket"),
        ('page_store = "s3"\ns3_bucket = "b"\ns3_endpoint = "minio:9000"\n', "s3_endpoint"),
        ('page_store = "s3"\ns3_bucket = "b"\ns3_access_key = "k"\n', "s3_secret_key"),
    ],
)
def test_a_bad_page_store_setting_names_its_key(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(EnvironmentProblem, match=named):
        _settings(tmp_path, text)


def test_an_environment_variable_chooses_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONEWINDOW_PAGE_STORE", "file")
    monkeypatch.setenv("ONEWINDOW_PAGE_STORE_DIR", str(tmp_path / "p"))
    assert _settings(tmp_path, "").page_store_dir == str(tmp_path / "p")
