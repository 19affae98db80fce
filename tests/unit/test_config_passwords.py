"""Settings from file and environment; the password rule."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.config import load_settings
from app.db.engine import parse_url
from app.errors import EnvironmentProblem, ValidationError
from app.people.passwords import check_strength, hash_password, needs_rehash, verify


def test_defaults_use_sqlite_in_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONEWINDOW_DATA_DIR", str(tmp_path))
    s = load_settings(config_path=tmp_path / "none.toml")
    assert s.database_url == f"sqlite:///{(tmp_path / 'onewindow.sqlite3').as_posix()}"
    assert not s.demo
    demo = load_settings(demo=True, config_path=tmp_path / "none.toml")
    assert demo.database_url.endswith("onewindow-demo.sqlite3") and demo.hall_code == "DEMO"


def test_file_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'database_url = "postgresql://h/db"\nhall_code = "jx01"\nidle_lock_minutes = 5\n', "utf-8"
    )
    s = load_settings(config_path=cfg)
    assert (s.database_url, s.hall_code, s.idle_lock_minutes) == ("postgresql://h/db", "JX01", 5)
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", "postgresql://other/db")
    monkeypatch.setenv("ONEWINDOW_IDLE_LOCK_MINUTES", "0")
    s = load_settings(config_path=cfg)
    assert s.database_url == "postgresql://other/db" and s.idle_lock_minutes == 0
    # the demo never opens the configured production database, only an explicit env URL
    monkeypatch.delenv("ONEWINDOW_DATABASE_URL")
    assert "demo" in load_settings(demo=True, config_path=cfg).database_url


def test_bad_settings_give_clear_messages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("idle_lock_minutes = 'ten'\n", "utf-8")
    with pytest.raises(EnvironmentProblem, match="应为整数"):
        load_settings(config_path=cfg)
    cfg.write_text("this is = = not toml", "utf-8")
    with pytest.raises(EnvironmentProblem, match="无法读取"):
        load_settings(config_path=cfg)


@pytest.mark.parametrize("raw", [" ＪＸ０１ ", "jx01", "JX01"])
def test_a_hall_code_is_read_in_capitals(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, raw: str
) -> None:
    monkeypatch.setenv("ONEWINDOW_HALL", raw)
    assert load_settings(config_path=tmp_path / "none.toml").hall_code == "JX01"


@pytest.mark.parametrize("raw", ["JX-01", "江西01", "1ABC", "JX01'--", "J", "JX0123456", "H4"])
def test_a_hall_code_that_cannot_be_is_refused_where_it_was_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, raw: str
) -> None:
    """A typo never opens a new, empty hall; H and digits are what halls without a code print."""
    monkeypatch.setenv("ONEWINDOW_HALL", raw)
    with pytest.raises(EnvironmentProblem, match="环境变量 ONEWINDOW_HALL 中的大厅代码"):
        load_settings(config_path=tmp_path / "none.toml")
    monkeypatch.delenv("ONEWINDOW_HALL")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"hall_code = {json.dumps(raw, ensure_ascii=False)}\n", "utf-8")
    with pytest.raises(EnvironmentProblem, match=re.escape("config.toml 中的大厅代码")):
        load_settings(config_path=cfg)


def test_a_pooler_typo_names_where_it_was_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONEWINDOW_POOLER", "pgbounce")
    with pytest.raises(EnvironmentProblem, match="环境变量 ONEWINDOW_POOLER 中的 pooler"):
        load_settings(config_path=tmp_path / "none.toml")


@pytest.mark.parametrize(
    "url,message",
    [
        ("not a url", "格式不正确"),
        ("mysql://u@h/db", "不支持的数据库类型"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(EnvironmentProblem, match=message):
        parse_url(url)


def test_plain_postgresql_url_means_psycopg3() -> None:
    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    "pw,message",
    [
        ("Ab1!", "至少需要 8 位"),
        ("abcdefgh1", "至少三类"),
        ("Zhangsan@2026", "不能包含用户名"),
    ],
)
def test_password_rule(pw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_strength(pw, "zhangsan")


def test_password_rule_accepts_good_passwords() -> None:
    check_strength("Counter#2026", "zhangsan")
    check_strength("窗口办件Ab1!", "zhangsan")


def test_hash_verify_rehash() -> None:
    from argon2 import PasswordHasher

    h = hash_password("Counter#2026")
    assert h.startswith("$argon2id$")
    assert verify(h, "Counter#2026") and not verify(h, "counter#2026")
    assert not verify("garbage", "x")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("Counter#2026")
    assert needs_rehash(weak) and not needs_rehash(h)
