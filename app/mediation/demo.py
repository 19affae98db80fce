"""Sample disputes for a new demo database, made through the real services, so that 调解 has
work on first start: a neighbours' leak just registered at the grid, a property-fee dispute
in mediation at the community with a session held, and a debt settled by an agreement today
(its 回访 due in a week and a month). Only into a demo hall with no disputes yet;
the mediator is 周建国 (user ``mediator``)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from stdnum.cn import ric

from app.db import clock
from app.db.models import Dispute, Hall
from app.db.session import Database
from app.mediation import outcomes, registry
from app.mediation.views import AgreementInput, DisputeInput, Mediator, PartyInput, SessionInput
from app.people import users


def _id(born: date, seq: int) -> str:
    body = f"110105{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _parties(seq: int, first: tuple[str, str], second: tuple[str, str]) -> tuple[PartyInput, ...]:
    return (
        PartyInput(first[0], _id(date(1968, 5, 3), seq), "13800138001", "幸福路 3 号", first[1]),
        PartyInput(second[0], _id(date(1979, 9, 12), seq + 2), "", "幸福路 5 号", second[1]),
    )


def seed(db: Database) -> int:
    """Make the sample disputes if the hall has none; returns how many were made."""
    with db.read_only() as s:
        if s.scalar(select(Dispute.id).limit(1)) is not None:
            return 0
        mediator = users.demo_actor(db, "mediator")
        hall = s.get(Hall, mediator.hall_id)
        assert hall is not None
        today = clock.service_day(s, hall)  # the hall's day (Beijing is ahead of UTC)
    registry.register(
        db,
        mediator,
        DisputeInput(
            "LL",
            "楼上卫生间漏水至楼下，楼下要求赔偿天花板修复费用，楼上认为系老化所致",
            "grid",
            _parties(501, ("张大山", "赔偿修复费用 3000 元"), ("李小河", "只愿修好管道")),
            "幸福社区第一网格",
        ),
    )
    fee = registry.register(
        db,
        mediator,
        DisputeInput(
            "WY",
            "业主以电梯长期故障为由拒交两年物业费，物业公司要求补交",
            "community",
            _parties(511, ("王建华", "电梯修好前不交费"), ("赵物业", "补交物业费 4800 元")),
            "幸福社区第一网格",
        ),
    )
    fee = outcomes.start(db, mediator, fee.id, fee.version)
    outcomes.add_session(
        db,
        mediator,
        fee.id,
        fee.version,
        SessionInput(
            today,
            (Mediator("周建国", "调解员"), Mediator("孙律师", "律师")),
            "双方陈述意见，物业承诺一周内提交电梯维修方案，下次调解再议费用。",
            "社区调解室",
        ),
    )
    debt = registry.register(
        db,
        mediator,
        DisputeInput(
            "HT",
            "邻居借款 2 万元逾期一年未还",
            "grid",
            _parties(521, ("刘志强", "归还借款 2 万元"), ("陈明", "分期归还")),
            "幸福社区第一网格",
        ),
    )
    debt = outcomes.start(db, mediator, debt.id, debt.version)
    debt = outcomes.add_session(
        db,
        mediator,
        debt.id,
        debt.version,
        SessionInput(
            today,
            (Mediator("周建国", "调解员"), Mediator("吴德厚", "乡贤")),
            "经乡贤吴德厚劝说，陈明同意分期还款，刘志强同意不再主张利息。",
            "网格工作站",
        ),
    )
    outcomes.agree(
        db,
        mediator,
        debt.id,
        debt.version,
        AgreementInput(
            facts="陈明于去年向刘志强借款人民币 2 万元，约定一年内归还，至今未还。",
            issues="还款金额与期限。",
            liability="陈明应按约归还借款。",
            terms="陈明分四期归还借款 2 万元，每月 15 日前归还 5000 元。",
            performance_way="银行转账至刘志强账户。",
            perform_by=today + timedelta(days=120),
            signed_on=today,
        ),
    )
    return 3
