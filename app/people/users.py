"""Accounts: log-in and lockout, the idle-lock check, the first administrator, a user's own
password change and the demo actor.

Also the account rules the administrator's user management (:mod:`app.people.user_admin`)
shares: user names, display names, passwords as typed, department codes and the snapshot
audit events record.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, text
from app.actor import SYSTEM, Actor
from app.db.models import Department, Hall, User, UserRole
from app.db.session import Database, db_now
from app.errors import AuthenticationFailed, Conflict, NotFound, ValidationError
from app.people import passwords
from app.roles import Role
from app.states import UserState

MAX_FAILURES = 5
LOCK_MINUTES = 15
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,39}$")


@cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown user names, so they take as long as known ones."""
    return passwords.hash_password("timing-equaliser-Aa1!")


def department_codes(session: Session) -> dict[int, str]:
    """Department codes by id (a user's departments are stored by id, shown by code)."""
    return {d.id: d.code for d in session.scalars(select(Department))}


def _actor_of(session: Session, user: User) -> Actor:
    hall = session.get(Hall, user.hall_id)
    codes = department_codes(session)
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        hall_id=user.hall_id,
        hall_name=hall.name if hall else "",
        roles=frozenset(r.role for r in user.roles),
        departments=frozenset(codes[d.department_id] for d in user.departments),
        must_change_password=user.must_change_password,
    )


def audit_snapshot(user: User, codes: dict[int, str]) -> dict[str, object]:
    """A user as their audit events record it (``codes`` from :func:`department_codes`)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "state": user.state.value,
        "roles": sorted(r.role.value for r in user.roles),
        "departments": sorted(codes[d.department_id] for d in user.departments),
        "locked_until": user.locked_until,
    }


def clean_full_name(full_name: str) -> str:
    """A user's display name: one line of text, its dots and spaces as in resident names."""
    name = text.name_key(text.clean_line(full_name, "full_name", max_length=10_000))
    if not name:
        raise ValidationError("请输入姓名。", "full_name")
    if len(name) > 60:
        raise ValidationError("姓名过长（最多 60 个字）。", "full_name")
    return name


def typed_password(password: str, field: str = "password") -> str:
    """A password as typed; only refused if it cannot be encoded (a lone surrogate)."""
    if not isinstance(password, str) or any(0xD800 <= ord(c) <= 0xDFFF for c in password):
        raise ValidationError("密码含有无法识别的字符，请重新输入。", field)
    return password


def check_username(session: Session, username: str) -> str:
    """A new account's user name, cleaned; refused if malformed or taken (any letter case)."""
    name = text.clean_query(username, "username")
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "用户名须以字母开头，3–40 位字母、数字、下划线、点或短横线。", "username"
        )
    taken = session.scalar(select(User.id).where(func.lower(User.username) == name.lower()))
    if taken is not None:
        raise ValidationError(f"用户名“{name}”已被使用。", "username")
    return name


def login(db: Database, username: str, password: str) -> Actor:
    """Check the password; count failures, lock after five for 15 minutes; rehash if due."""
    username, password = text.clean_query(username, "username"), typed_password(password)
    with db.unit_of_work() as session:
        user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        if user is None:
            passwords.verify(_dummy_hash(), password)  # same time as a real check
            raise AuthenticationFailed("用户名或密码不正确。", "password")
        now = db_now(session)
        if user.state == UserState.DISABLED:
            raise AuthenticationFailed("该账号已停用，请联系管理员。", "username")
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            raise AuthenticationFailed(
                f"密码连续输错 {MAX_FAILURES} 次，账号已锁定，请 {minutes} 分钟后再试或联系管理员解锁。",
                "password",
            )
        actor = _actor_of(session, user)
        if not passwords.verify(user.password_hash, password):
            user.failed_logins += 1
            note = f"第 {user.failed_logins} 次失败"
            message = f"用户名或密码不正确（还可尝试 {MAX_FAILURES - user.failed_logins} 次）。"
            action = "login_failed"
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
                action = "account_locked"
                message = f"密码连续输错 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟。"
            audit.record(session, actor, action, "user", user.id, note=note)
            session.commit()
            raise AuthenticationFailed(message, "password")
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        audit.record(session, actor, "login", "user", user.id)
        session.commit()
        return actor


def verify_session(db: Database, actor: Actor, password: str) -> None:
    """Unlock an idle-locked screen: the same user must give their password again."""
    again = login(db, actor.username, password)
    if again.user_id != actor.user_id:
        raise AuthenticationFailed("只能由当前登录的用户解锁。", "password")


def needs_first_admin(db: Database, hall_code: str | None = None) -> bool:
    """True where nobody can log in yet: a fresh database, or (``hall_code``) a hall of a
    city database that has no user yet (its first PC is being set up)."""
    with db.unit_of_work() as session:
        users = select(func.count(User.id))
        if hall_code is not None:
            users = users.join(Hall, Hall.id == User.hall_id).where(Hall.code == hall_code)
        return session.scalar(users) == 0


def create_first_admin(
    db: Database, hall_code: str, username: str, full_name: str, password: str
) -> Actor:
    """Create the hall's first system administrator (a new database, or a new hall of a
    city database). Refused once the hall has any user: further accounts are made by its
    administrators (用户管理)."""
    with db.unit_of_work() as session:
        hall = session.scalar(select(Hall).where(Hall.code == hall_code).with_for_update())
        if hall is None:
            raise NotFound(f"大厅 {hall_code} 不存在。")
        if session.scalar(select(func.count(User.id)).where(User.hall_id == hall.id)):
            raise Conflict("本大厅已有用户，不能再创建初始管理员。")
        name = check_username(session, username)
        full = clean_full_name(full_name)
        passwords.check_strength(typed_password(password), name)
        user = User(
            hall_id=hall.id,
            username=name,
            full_name=full,
            password_hash=passwords.hash_password(password),
        )
        user.roles = [UserRole(role=Role.SYSADMIN), UserRole(role=Role.SECADMIN)]
        session.add(user)
        session.flush()
        actor = _actor_of(session, user)
        audit.record(
            session,
            replace(SYSTEM, hall_id=hall.id),
            "first_admin_created",
            "user",
            user.id,
            after=audit_snapshot(user, {}),
        )
        session.commit()
        return actor


def change_own_password(db: Database, actor: Actor, old_password: str, new_password: str) -> Actor:
    """The logged-in user replaces their password (required after a reset)."""
    with db.unit_of_work() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound("用户不存在。")
        if not passwords.verify(user.password_hash, typed_password(old_password, "old_password")):
            raise ValidationError("原密码不正确。", "old_password")
        if old_password == new_password:
            raise ValidationError("新密码不能与原密码相同。", "new_password")
        passwords.check_strength(
            typed_password(new_password, "new_password"), user.username, field="new_password"
        )
        user.password_hash = passwords.hash_password(new_password)
        user.must_change_password = False
        audit.record(session, actor, "password_changed", "user", user.id)
        session.commit()
        return _actor_of(session, user)


def demo_actor(db: Database, username: str) -> Actor:
    """A demo user acting without a log-in — only to fill a demo hall with sample work."""
    with db.read_only() as session:
        user = session.scalar(select(User).where(User.username == username))
        hall = session.get(Hall, user.hall_id) if user is not None else None
        if user is None or hall is None or not hall.is_demo:
            raise AuthenticationFailed("只有演示大厅的演示用户可以这样使用。", "username")
        return _actor_of(session, user)
