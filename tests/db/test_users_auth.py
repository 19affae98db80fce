"""Log-in, lockout, rehash, first administrator and user management, on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from app.db.models import AuditEvent, User
from app.db.session import Database
from app.errors import AuthenticationFailed, Conflict, PermissionDenied, ValidationError
from app.hall.setup import DEMO_PASSWORD
from app.people import user_admin, users
from app.roles import Role
from app.states import UserState


def _admin(db: Database) -> users.Actor:
    return users.login(db, "admin", DEMO_PASSWORD)


def _actions(db: Database) -> list[str]:
    with db.unit_of_work() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_login_success_and_wrong_password(db: Database) -> None:
    actor = users.login(db, "Clerk", DEMO_PASSWORD)  # user names are case-insensitive
    assert actor.username == "clerk" and Role.CLERK in actor.roles
    assert actor.hall_name.startswith("示范区")
    with pytest.raises(AuthenticationFailed, match="还可尝试 4 次") as err:
        users.login(db, "clerk", "Wrong#2026")
    assert err.value.field == "password"
    with pytest.raises(AuthenticationFailed, match="用户名或密码不正确"):
        users.login(db, "nobody", DEMO_PASSWORD)
    assert _actions(db)[-2:] == ["login", "login_failed"]


def test_five_failures_lock_for_15_minutes_then_admin_unlocks(db: Database) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "clerk", "Wrong#2026")
    with pytest.raises(AuthenticationFailed, match="已锁定 15 分钟"):
        users.login(db, "clerk", "Wrong#2026")
    with pytest.raises(AuthenticationFailed, match="账号已锁定"):
        users.login(db, "clerk", DEMO_PASSWORD)  # even the right password
    admin = _admin(db)
    clerk = next(u for u in user_admin.list_users(db, admin) if u.username == "clerk")
    assert clerk.locked_until is not None
    user_admin.unlock_user(db, admin, clerk.id, clerk.version)
    assert users.login(db, "clerk", DEMO_PASSWORD).username == "clerk"
    assert "account_locked" in _actions(db) and "user_unlocked" in _actions(db)


def test_lock_expires_after_15_minutes(db: Database) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "clerk", "Wrong#2026")
    with db.unit_of_work() as s:  # move the lock into the past as 15 minutes would
        user = s.scalars(select(User).where(User.username == "clerk")).one()
        assert user.locked_until is not None
        s.execute(
            update(User)
            .where(User.id == user.id)
            .values(locked_until=user.locked_until - timedelta(minutes=15, seconds=1))
        )
        s.commit()
    assert users.login(db, "clerk", DEMO_PASSWORD).username == "clerk"


def test_old_hash_is_upgraded_at_login(db: Database) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEMO_PASSWORD)
    with db.unit_of_work() as s:
        s.execute(update(User).where(User.username == "clerk").values(password_hash=weak))
        s.commit()
    users.login(db, "clerk", DEMO_PASSWORD)
    with db.unit_of_work() as s:
        new_hash = s.scalar(select(User.password_hash).where(User.username == "clerk"))
    assert new_hash != weak and new_hash is not None and "m=65536" in new_hash
    assert users.login(db, "clerk", DEMO_PASSWORD).username == "clerk"


def test_admin_creates_user_who_logs_in_and_must_change_password(db: Database) -> None:
    admin = _admin(db)
    created = user_admin.create_user(
        db, admin, "zhangwei", "张伟", "Counter#2026", [Role.APPROVER], ["MZ"]
    )
    assert created.departments == {"MZ"}
    actor = users.login(db, "zhangwei", "Counter#2026")
    assert actor.must_change_password and actor.departments == {"MZ"}
    with pytest.raises(ValidationError, match="原密码不正确") as err:
        users.change_own_password(db, actor, "nope", "Approver#2027")
    assert err.value.field == "old_password"
    after = users.change_own_password(db, actor, "Counter#2026", "Approver#2027")
    assert not after.must_change_password
    assert not users.login(db, "zhangwei", "Approver#2027").must_change_password


@pytest.mark.parametrize(
    "kwargs,field,message",
    [
        ({"username": "clerk"}, "username", "已被使用"),
        ({"username": "1abc"}, "username", "字母开头"),
        ({"full_name": " "}, "full_name", "请输入姓名"),
        ({"password": "short"}, "password", "至少需要 8 位"),
        ({"roles": []}, "roles", "至少选择一个角色"),
        ({"roles": [Role.APPROVER], "departments": []}, "departments", "必须指定所属部门"),
        ({"departments": ["NOPE"]}, "departments", "部门不存在"),
    ],
)
def test_create_user_errors_name_their_field(
    db: Database, kwargs: dict[str, object], field: str, message: str
) -> None:
    args: dict[str, object] = {
        "username": "newuser",
        "full_name": "新用户",
        "password": "Counter#2026",
        "roles": [Role.CLERK],
        "departments": [],
    }
    args.update(kwargs)
    with pytest.raises(ValidationError, match=message) as err:
        user_admin.create_user(db, _admin(db), **args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_only_administrators_manage_users(db: Database) -> None:
    clerk = users.login(db, "clerk", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        user_admin.list_users(db, clerk)
    with pytest.raises(PermissionDenied):
        user_admin.create_user(db, clerk, "x1234", "某", "Counter#2026", [Role.CLERK])


def test_disable_enable_and_stale_version(db: Database) -> None:
    admin = _admin(db)
    clerk = next(u for u in user_admin.list_users(db, admin) if u.username == "clerk")
    disabled = user_admin.set_user_state(db, admin, clerk.id, clerk.version, UserState.DISABLED)
    with pytest.raises(AuthenticationFailed, match="已停用"):
        users.login(db, "clerk", DEMO_PASSWORD)
    with pytest.raises(Conflict, match="其他管理员修改"):  # the old version is stale now
        user_admin.set_user_state(db, admin, clerk.id, clerk.version, UserState.ACTIVE)
    with pytest.raises(Conflict, match="不能变为"):  # not declared: disabled → disabled
        user_admin.set_user_state(db, admin, clerk.id, disabled.version, UserState.DISABLED)
    user_admin.set_user_state(db, admin, clerk.id, disabled.version, UserState.ACTIVE)
    assert users.login(db, "clerk", DEMO_PASSWORD).username == "clerk"
    me = next(u for u in user_admin.list_users(db, admin) if u.username == "admin")
    with pytest.raises(ValidationError, match="不能停用自己"):
        user_admin.set_user_state(db, admin, me.id, me.version, UserState.DISABLED)


def test_reset_password_unlocks_and_forces_change(db: Database) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.login(db, "clerk", "Wrong#2026")
    admin = _admin(db)
    clerk = next(u for u in user_admin.list_users(db, admin) if u.username == "clerk")
    user_admin.reset_password(db, admin, clerk.id, clerk.version, "Reset#2026x")
    actor = users.login(db, "clerk", "Reset#2026x")
    assert actor.must_change_password


def test_first_admin_only_on_an_empty_user_table(db: Database) -> None:
    assert not users.needs_first_admin(db)
    with pytest.raises(Conflict, match="已有用户"):
        users.create_first_admin(db, "DEMO", "boss", "负责人", "Boss#2026x")


def test_a_new_hall_of_a_city_database_gets_its_own_first_administrator(db: Database) -> None:
    from app.hall import setup

    setup.prepare(db, None, "JX02", "第二大厅")  # its first PC starts on the city database
    assert users.needs_first_admin(db, "JX02") and not users.needs_first_admin(db, "DEMO")
    boss = users.create_first_admin(db, "JX02", "jx02admin", "第二大厅管理员", "Boss#2026x")
    assert boss.hall_name == "第二大厅" and Role.SYSADMIN in boss.roles
    assert not users.needs_first_admin(db, "JX02")
    with pytest.raises(Conflict, match="本大厅已有用户"):
        users.create_first_admin(db, "JX02", "second", "第二位", "Boss#2026y")
