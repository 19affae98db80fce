"""The administrator's user management: list, create, edit, disable or enable, reset a
password, unlock.

Every function needs MANAGE_USERS, works on users of the actor's hall only, takes the
version the administrator saw (a change by another administrator in between is refused)
and records before and after in the audit trail. Log-in, lockout, the first administrator
and a user's own password change are in :mod:`app.people.users`, with the account rules
(user names, display names, passwords as typed) both share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.db.models import Department, User, UserDepartment, UserRole
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.people import passwords
from app.people.users import (
    audit_snapshot,
    check_username,
    clean_full_name,
    department_codes,
    typed_password,
)
from app.roles import Permission, Role
from app.states import USER_FLOW, UserState


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


def list_users(db: Database, actor: Actor) -> list[UserView]:
    """Users of the actor's hall, by user name."""
    actor.require(Permission.MANAGE_USERS)
    with db.unit_of_work() as session:
        codes = department_codes(session)
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
        name = check_username(session, username)
        full = clean_full_name(full_name)
        chosen = _check_roles(roles, depts)
        passwords.check_strength(typed_password(password), name)
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
        codes = department_codes(session)
        audit.record(
            session, actor, "user_created", "user", user.id, after=audit_snapshot(user, codes)
        )
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
        codes = department_codes(session)
        before = audit_snapshot(user, codes)
        chosen = _check_roles(roles, depts)
        if user.id == actor.user_id and not chosen & {Role.SYSADMIN, Role.SECADMIN}:
            raise ValidationError("不能取消自己的管理员角色。", "roles")
        user.full_name = clean_full_name(full_name)
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
            after=audit_snapshot(user, codes),
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
        codes = department_codes(session)
        before = audit_snapshot(user, codes)
        user.state = target
        session.flush()
        action = "user_disabled" if target == UserState.DISABLED else "user_enabled"
        audit.record(
            session,
            actor,
            action,
            "user",
            user.id,
            before=before,
            after=audit_snapshot(user, codes),
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
        passwords.check_strength(typed_password(new_password), user.username)
        user.password_hash = passwords.hash_password(new_password)
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        session.flush()
        audit.record(session, actor, "password_reset", "user", user.id)
        session.commit()
        return _view(user, department_codes(session))


def unlock_user(db: Database, actor: Actor, user_id: int, version: int) -> UserView:
    """Lift a lockout caused by failed log-ins."""
    actor.require(Permission.MANAGE_USERS)
    with db.unit_of_work() as session:
        user = _load(session, actor, user_id, version)
        codes = department_codes(session)
        before = audit_snapshot(user, codes)
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
            after=audit_snapshot(user, codes),
        )
        session.commit()
        return _view(user, codes)
