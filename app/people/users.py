"""Accounts: log in, first administrator, and the administrator's user management."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, text
from app.actor import SYSTEM, Actor
from app.db.models import Department, Hall, User, UserDepartment, UserRole
from app.db.session import Database, db_now
from app.errors import AuthenticationFailed, Conflict, NotFound, ValidationError
from app.people import passwords
from app.roles import Permission, Role
from app.states import USER_FLOW, UserState

MAX_FAILURES = 5
LOCK_MINUTES = 15
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,39}$")


@cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown user names, so they take as long as known ones."""
    return passwords.hash_password("timing-equaliser-Aa1!")


@dataclass(frozen=True)
class UserView:
    """A user as the administrator's list shows it."""

    id: int
    username: str
    full_name: str
    state: UserState
    roles: frozenset[Role]
    departments: frozenset[str]
    locked_until: datetime | None
    failed_logins: int
    last_login_at: datetime | None
    version: int

    def is_locked(self, now: datetime) -> bool:
        """Locked out by failed log-ins at ``now``."""
        return self.locked_until is not None and self.locked_until > now


def _view(user: User, dept_codes: dict[int, str]) -> UserView:
    return UserView(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        state=user.state,
        roles=frozenset(r.role for r in user.roles),
        departments=frozenset(dept_codes[d.department_id] for d in user.departments),
        locked_until=user.locked_until,
        failed_logins=user.failed_logins,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def _dept_codes(session: Session) -> dict[int, str]:
    return {d.id: d.code for d in session.scalars(select(Department))}


def _actor_of(session: Session, user: User) -> Actor:
    hall = session.get(Hall, user.hall_id)
    codes = _dept_codes(session)
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


def _snapshot(user: User, codes: dict[int, str]) -> dict[str, object]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "state": user.state.value,
        "roles": sorted(r.role.value for r in user.roles),
        "departments": sorted(codes[d.department_id] for d in user.departments),
        "locked_until": user.locked_until,
    }


def _clean_name(full_name: str) -> str:
    """A user's display name: one line of text, its dots and spaces as in resident names."""
    name = text.name_key(text.clean_line(full_name, "full_name", max_length=10_000))
    if not name:
        raise ValidationError("请输入姓名。", "full_name")
    if len(name) > 60:
        raise ValidationError("姓名过长（最多 60 个字）。", "full_name")
    return name


def _password(password: str, field: str = "password") -> str:
    """A password as typed; only refused if it cannot be encoded (a lone surrogate)."""
    if not isinstance(password, str) or any(0xD800 <= ord(c) <= 0xDFFF for c in password):
        raise ValidationError("密码含有无法识别的字符，请重新输入。", field)
    return password


def _check_username(session: Session, username: str) -> str:
    name = text.clean_query(username, "username")
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "用户名须以字母开头，3–40 位字母、数字、下划线、点或短横线。", "username"
        )
    taken = session.scalar(select(User.id).where(func.lower(User.username) == name.lower()))
    if taken is not None:
        raise ValidationError(f"用户名“{name}”已被使用。", "username")
    return name


def _set_departments(session: Session, user: User, codes: Iterable[str]) -> None:
    wanted = set(codes)
    by_code = {d.code: d.id for d in session.scalars(select(Department))}
    unknown = wanted - set(by_code)
    if unknown:
        raise ValidationError(f"部门不存在：{'、'.join(sorted(unknown))}", "departments")
    user.departments = [UserDepartment(department_id=by_code[c]) for c in sorted(wanted)]


def _check_roles(roles: Iterable[Role], departments: Iterable[str]) -> frozenset[Role]:
    chosen = frozenset(roles)
    if not chosen:
        raise ValidationError("请至少选择一个角色。", "roles")
    if Role.APPROVER in chosen and not set(departments):
        raise ValidationError("后台审批人员必须指定所属部门。", "departments")
    return chosen


def login(db: Database, username: str, password: str) -> Actor:
    """Check the password; count failures, lock after five for 15 minutes; rehash if due."""
    username, password = text.clean_query(username, "username"), _password(password)
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


def needs_first_admin(db: Database) -> bool:
    """True on a fresh production database: nobody can log in yet."""
    with db.unit_of_work() as session:
        return session.scalar(select(func.count(User.id))) == 0


def create_first_admin(
    db: Database, hall_code: str, username: str, full_name: str, password: str
) -> Actor:
    """Create the first system administrator. Refused once any user exists."""
    with db.unit_of_work() as session:
        if session.scalar(select(func.count(User.id))):
            raise Conflict("系统中已有用户，不能再创建初始管理员。")
        hall = session.scalar(select(Hall).where(Hall.code == hall_code))
        if hall is None:
            raise NotFound(f"大厅 {hall_code} 不存在。")
        name = _check_username(session, username)
        full = _clean_name(full_name)
        passwords.check_strength(_password(password), name)
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
            after=_snapshot(user, {}),
        )
        session.commit()
        return actor


def list_users(db: Database, actor: Actor) -> list[UserView]:
    """Users of the actor's hall, by user name."""
    actor.require(Permission.MANAGE_USERS)
    with db.unit_of_work() as session:
        codes = _dept_codes(session)
        users = session.scalars(
            select(User).where(User.hall_id == actor.hall_id).order_by(User.username)
        )
        return [_view(u, codes) for u in users]


def create_user(
    db: Database,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    roles: Iterable[Role],
    departments: Iterable[str] = (),
) -> UserView:
    """Create an account in the actor's hall; it must change its password at first log-in."""
    actor.require(Permission.MANAGE_USERS)
    depts = list(departments)
    with db.unit_of_work() as session:
        name = _check_username(session, username)
        full = _clean_name(full_name)
        chosen = _check_roles(roles, depts)
        passwords.check_strength(_password(password), name)
        assert actor.hall_id is not None
        user = User(
            hall_id=actor.hall_id,
            username=name,
            full_name=full,
            password_hash=passwords.hash_password(password),
            must_change_password=True,
        )
        user.roles = [UserRole(role=r) for r in sorted(chosen)]
        _set_departments(session, user, depts)
        session.add(user)
        session.flush()
        codes = _dept_codes(session)
        audit.record(session, actor, "user_created", "user", user.id, after=_snapshot(user, codes))
        session.commit()
        return _view(user, codes)


def _load(session: Session, actor: Actor, user_id: int, version: int | None) -> User:
    user = session.get(User, user_id)
    if user is None or user.hall_id != actor.hall_id:
        raise NotFound("用户不存在。")
    if version is not None and user.version != version:
        raise Conflict("该用户已被其他管理员修改，请刷新后重试。")
    return user


def update_user(
    db: Database,
    actor: Actor,
    user_id: int,
    version: int,
    full_name: str,
    roles: Iterable[Role],
    departments: Iterable[str],
) -> UserView:
    """Change a user's name, roles and departments."""
    actor.require(Permission.MANAGE_USERS)
    depts = list(departments)
    with db.unit_of_work() as session:
        user = _load(session, actor, user_id, version)
        codes = _dept_codes(session)
        before = _snapshot(user, codes)
        chosen = _check_roles(roles, depts)
        if user.id == actor.user_id and not chosen & {Role.SYSADMIN, Role.SECADMIN}:
            raise ValidationError("不能取消自己的管理员角色。", "roles")
        user.full_name = _clean_name(full_name)
        user.roles = [UserRole(role=r) for r in sorted(chosen)]
        _set_departments(session, user, depts)
        session.flush()
        audit.record(
            session,
            actor,
            "user_updated",
            "user",
            user.id,
            before=before,
            after=_snapshot(user, codes),
        )
        session.commit()
        return _view(user, codes)


def set_user_state(
    db: Database, actor: Actor, user_id: int, version: int, target: UserState
) -> UserView:
    """Disable or re-enable an account (declared in USER_FLOW)."""
    actor.require(Permission.MANAGE_USERS)
    with db.unit_of_work() as session:
        user = _load(session, actor, user_id, version)
        if user.id == actor.user_id and target == UserState.DISABLED:
            raise ValidationError("不能停用自己的账号。")
        USER_FLOW.check(user.state, target)
        codes = _dept_codes(session)
        before = _snapshot(user, codes)
        user.state = target
        session.flush()
        action = "user_disabled" if target == UserState.DISABLED else "user_enabled"
        audit.record(
            session, actor, action, "user", user.id, before=before, after=_snapshot(user, codes)
        )
        session.commit()
        return _view(user, codes)


def reset_password(
    db: Database, actor: Actor, user_id: int, version: int, new_password: str
) -> UserView:
    """Give a user a new password they must change at next log-in; also unlocks."""
    actor.require(Permission.MANAGE_USERS)
    with db.unit_of_work() as session:
        user = _load(session, actor, user_id, version)
        passwords.check_strength(_password(new_password), user.username)
        user.password_hash = passwords.hash_password(new_password)
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        session.flush()
        audit.record(session, actor, "password_reset", "user", user.id)
        session.commit()
        return _view(user, _dept_codes(session))


def unlock_user(db: Database, actor: Actor, user_id: int, version: int) -> UserView:
    """Lift a lockout caused by failed log-ins."""
    actor.require(Permission.MANAGE_USERS)
    with db.unit_of_work() as session:
        user = _load(session, actor, user_id, version)
        codes = _dept_codes(session)
        before = _snapshot(user, codes)
        user.failed_logins = 0
        user.locked_until = None
        session.flush()
        audit.record(
            session,
            actor,
            "user_unlocked",
            "user",
            user.id,
            before=before,
            after=_snapshot(user, codes),
        )
        session.commit()
        return _view(user, codes)


def change_own_password(db: Database, actor: Actor, old_password: str, new_password: str) -> Actor:
    """The logged-in user replaces their password (required after a reset)."""
    with db.unit_of_work() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound("用户不存在。")
        if not passwords.verify(user.password_hash, _password(old_password, "old_password")):
            raise ValidationError("原密码不正确。", "old_password")
        if old_password == new_password:
            raise ValidationError("新密码不能与原密码相同。", "new_password")
        passwords.check_strength(
            _password(new_password, "new_password"), user.username, field="new_password"
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
