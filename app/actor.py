"""Who is acting: the logged-in user as services see them."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PermissionDenied
from app.roles import ROLE_LABELS, Permission, Role, permissions_of


@dataclass(frozen=True)
class Actor:
    """The person (or the system) on whose behalf a service runs."""

    user_id: int | None
    username: str
    full_name: str
    hall_id: int | None
    hall_name: str = ""
    roles: frozenset[Role] = frozenset()
    departments: frozenset[str] = frozenset()
    must_change_password: bool = False

    def can(self, permission: Permission) -> bool:
        """Whether any of the actor's roles grants ``permission``."""
        return permission in permissions_of(self.roles)

    def require(self, permission: Permission) -> None:
        """Raise :class:`PermissionDenied` unless the actor may do this."""
        if not self.can(permission):
            raise PermissionDenied("您没有执行此操作的权限。")

    def require_any(self, *permissions: Permission) -> None:
        """Raise :class:`PermissionDenied` unless the actor may do one of these."""
        if not any(self.can(p) for p in permissions):
            raise PermissionDenied("您没有执行此操作的权限。")

    @property
    def role_names(self) -> str:
        """Roles as Chinese labels, for the header."""
        return "、".join(ROLE_LABELS[r] for r in sorted(self.roles))


SYSTEM = Actor(user_id=None, username="system", full_name="系统", hall_id=None)
