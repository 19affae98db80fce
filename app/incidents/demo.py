"""Sample events for a new demo database, made through the real services, so that 诉求事件
has a day's work on first start: two reported at the counter and dispatched by the 派单目录,
one a grid worker reported waiting for 受理, one the catalog cannot decide waiting for a
dispatcher, one being handled by 市政 with an extension asked, one fed back waiting for
核查, and one closed. Only into a demo hall with no events yet."""

from __future__ import annotations

from sqlalchemy import select

from app.db.models import Incident
from app.db.session import Database
from app.incidents import extensions, lifecycle, reporting
from app.incidents.reporting import IncidentInput
from app.people import users

GRID = "幸福社区第一网格"
SAMPLES = (
    IncidentInput(
        "SZSS01",
        GRID,
        "幸福路 3 号门口",
        "井盖缺失，晚上看不清，有人差点掉下去",
        "counter",
        "张三",
        "13800138000",
    ),
    IncidentInput(
        "SRHW01",
        GRID,
        "幸福路 12 号楼后",
        "楼后空地堆了很多装修垃圾，已经一周没人清理",
        "counter",
        "李梅",
        "",
    ),
    IncidentInput(
        "SRHW02",
        "和平里第二网格",
        "和平里菜市场东口",
        "早高峰占道经营，车辆无法通行",
        "grid",
        "",
        "",
        True,
    ),
    IncidentInput(
        "LLJF02",
        "和平里第二网格",
        "和平里 5 号楼 3 单元",
        "楼上漏水到楼下，两家协商不成",
        "phone",
        "赵强",
        "13911112222",
    ),
    IncidentInput(
        "SZSS01",
        GRID,
        "幸福路与光明街路口",
        "路口井盖松动，车辆经过响声很大",
        "counter",
        "",
        "13700001111",
    ),
    IncidentInput("SZSS01", GRID, "光明街 8 号门前", "井盖破损一角", "counter", "孙丽", ""),
    IncidentInput("SZSS01", GRID, "幸福路 20 号", "雨水井盖丢失", "counter", "周涛", ""),
)


def seed(db: Database) -> int:
    """Make the sample events if the hall has none; returns how many were made."""
    with db.read_only() as s:
        if s.scalar(select(Incident.id).limit(1)) is not None:
            return 0
    clerk = users.demo_actor(db, "clerk")
    care = users.demo_actor(db, "care")
    dispatcher = users.demo_actor(db, "paidan")
    szs = users.demo_actor(db, "shizheng")
    made = [reporting.report(db, care if inp.channel == "grid" else clerk, inp) for inp in SAMPLES]

    def version(incident_id: int) -> int:
        with db.read_only() as s:
            found = s.get(Incident, incident_id)
            assert found is not None
            return found.version

    handled, fed, closed = made[4].incident_id, made[5].incident_id, made[6].incident_id
    for eid in (handled, fed, closed):
        lifecycle.sign(db, szs, eid, version(eid))
    extensions.ask(db, szs, handled, version(handled), 7, "需要协调自来水公司停水后施工")
    for eid in (fed, closed):
        lifecycle.feed_back(db, szs, eid, version(eid), "已更换新井盖并设置警示标志")
    lifecycle.verify(db, dispatcher, closed, version(closed), passed=True)
    return len(made)
