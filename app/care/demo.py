"""Sample care records for a new demo database, made through the real services.

So that 探访关爱 has a day's work on first start: six people of the demo hall's first grid
in the care of 黄秀英 (user ``care``) — one overdue, one due today, one due within two days,
a hospital stay waiting for its 24-hour visit, a left-behind child visited monthly and called
weekly, and a general case due next quarter. Only into a demo hall with no care profiles yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from stdnum.cn import ric

from app.care import plans, profiles, visits
from app.care.views import Contact, ProfileInput, VisitInput
from app.db import clock
from app.db.models import CareProfile
from app.db.session import Database
from app.people import residents, users

# (name, age, female, groups, tier, (mode, days since the last visit) per plan, event)
PEOPLE: tuple[
    tuple[str, int, bool, tuple[str, ...], str, tuple[tuple[str, int], ...], str], ...
] = (
    ("张桂英", 88, True, ("alone", "disabled_elderly"), "high", (("home", 9), ("phone", 1)), ""),
    ("刘德福", 79, False, ("empty_nest",), "key", (("home", 28),), ""),
    ("孙玉兰", 92, True, ("alone",), "high", (("home", 3),), "hospital"),
    ("王小军", 9, False, ("left_behind_child",), "key", (("home", 29), ("video", 6)), ""),
    ("周建华", 45, False, ("severe_disability",), "general", (("home", 20),), ""),
    ("吴秀珍", 76, True, ("family_planning", "empty_nest"), "key", (("home", 10),), ""),
)
RHYTHM = {"phone": "daily", "video": "weekly"}  # extra plans (the first follows the tier)


def _id_number(born: date, seq: int, female: bool) -> str:
    order = seq * 2 % 1000 + (0 if female else 1)
    body = f"110105{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def seed(db: Database) -> int:
    """Make the sample profiles if the hall has none; returns how many were made."""
    with db.read_only() as s:
        if s.scalar(select(CareProfile.id).limit(1)) is not None:
            return 0
        now = clock.now(s)
    worker = users.demo_actor(db, "care")
    today = now.date()
    for seq, (name, age, female, groups, tier, plan_list, event) in enumerate(PEOPLE, start=401):
        born = date(today.year - age, 3 + seq % 9, 1 + seq % 27)
        person = residents.save(
            db,
            worker,
            residents.ResidentInput(
                _id_number(born, seq, female), name, f"1390000{seq:04d}", f"幸福路 {seq % 50} 号"
            ),
        )
        guardian = "监护人" if age < 18 else "本人"
        consent_name = "王丽（母亲）" if age < 18 else name
        view = profiles.save_profile(
            db,
            worker,
            ProfileInput(
                resident_id=person.id,
                groups=groups,
                tier=tier,
                consent_by=guardian,
                consent_name=consent_name.split("（")[0],
                health="高血压，行动不便" if age > 70 else "",
                living="独自居住" if "alone" in groups else "",
                needs="助餐、代购药品" if age > 70 else "学业辅导",
                contacts=(Contact("王丽", "子女" if age > 18 else "父母", "13912345678"),),
                grid="幸福社区第一网格",
                worker_id=worker.user_id,
                first_due=today - timedelta(days=40),  # visited before this record was kept
            ),
        )
        for mode, days in plan_list:
            if mode != plan_list[0][0]:
                start = today - timedelta(days=40)
                plans.add_plan(db, worker, view.id, mode, RHYTHM[mode], starts_on=start)
            when = now - timedelta(days=days)
            found = {"health": "精神尚可", "mood": "平稳"}
            visits.record_visit(db, worker, VisitInput(view.id, mode, found, visited_at=when))
        if event:
            visits.record_event(db, worker, view.id, event, "突发头晕，送区医院")
    return len(PEOPLE)
