"""Test people: valid resident ID numbers and logged-in actors of the demo hall."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from stdnum.cn import ric

from app.actor import Actor
from app.db.session import Database
from app.roles import Role


def id_number(born: date, seq: int = 1, female: bool = False, region: str = "110105") -> str:
    """A valid 18-digit ID (GB 11643) for someone born on ``born``."""
    order = seq * 2 % 1000
    if not female:
        order |= 1
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def actor(db: Database, username: str = "clerk", role: Role = Role.CLERK) -> Actor:
    """The demo user ``username`` as a service sees them after log-in."""
    from app.db.models import User

    with db.unit_of_work() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return Actor(
            user_id=user.id,
            username=username,
            full_name=user.full_name,
            hall_id=user.hall_id,
            roles=frozenset({role}),
        )
