"""Roles and what each may do. Services check permissions; the UI derives what it shows."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The roles of DESIGN.md, including the three security officers (三员)."""

    CLERK = "clerk"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITOR = "auditor"
    CARE = "care"  # 社区工作者: 一人一档 and visits of special groups
    DISPATCHER = "dispatcher"  # 派单员: 群众诉求 / 网格事件 accepted, dispatched, checked
    MEDIATOR = "mediator"  # 调解员: 矛盾纠纷调解 (三级调解), agreements and 回访


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "综合窗口人员",
    Role.APPROVER: "后台审批人员",
    Role.SUPERVISOR: "大厅管理员",
    Role.SYSADMIN: "系统管理员",
    Role.SECADMIN: "安全管理员",
    Role.AUDITOR: "安全审计员",
    Role.CARE: "社区工作者",
    Role.DISPATCHER: "派单员",
    Role.MEDIATOR: "调解员",
}


class Permission(StrEnum):
    """Actions a service function may require."""

    MANAGE_USERS = "manage_users"
    MANAGE_CATALOG = "manage_catalog"
    VIEW_CATALOG = "view_catalog"
    VIEW_AUDIT = "view_audit"
    INTAKE = "intake"
    APPROVE = "approve"
    SUPERVISE = "supervise"
    REVEAL_PERSONAL_DATA = "reveal_personal_data"
    CARE = "care"  # keep care profiles, plans and visits (一人一档)
    VIEW_CARE = "view_care"  # read care profiles and the month's report
    DISPATCH = "dispatch"  # accept, dispatch, check and close events (群众诉求)
    MEDIATE = "mediate"  # register and mediate disputes, agreements, 回访 (调解)
    VIEW_MEDIATION = "view_mediation"  # read disputes and the 化解率


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(
        {Permission.INTAKE, Permission.VIEW_CATALOG, Permission.REVEAL_PERSONAL_DATA}
    ),
    Role.APPROVER: frozenset(
        {Permission.APPROVE, Permission.VIEW_CATALOG, Permission.REVEAL_PERSONAL_DATA}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.SUPERVISE,
            Permission.VIEW_CATALOG,
            Permission.VIEW_CARE,
            Permission.DISPATCH,
            Permission.VIEW_MEDIATION,
        }
    ),
    # 三员分立: the system administrator runs the system, the security administrator
    # manages accounts and rights, the auditor reads the audit trail. Here sysadmin also
    # manages accounts so that a one-PC hall with a single administrator can work.
    Role.SYSADMIN: frozenset(
        {Permission.MANAGE_USERS, Permission.MANAGE_CATALOG, Permission.VIEW_CATALOG}
    ),
    Role.SECADMIN: frozenset({Permission.MANAGE_USERS, Permission.VIEW_CATALOG}),
    Role.AUDITOR: frozenset({Permission.VIEW_AUDIT, Permission.VIEW_CATALOG}),
    # Health and children's data are sensitive (PIPL art. 28–29): only the care role keeps
    # them, and the supervisor reads them; no one else sees a care profile.
    Role.DISPATCHER: frozenset({Permission.DISPATCH, Permission.VIEW_CATALOG}),
    # Parties' ID numbers and what they want are personal data: the mediator keeps them,
    # the supervisor reads the disputes and the 化解率.
    Role.MEDIATOR: frozenset(
        {Permission.MEDIATE, Permission.VIEW_MEDIATION, Permission.VIEW_CATALOG}
    ),
    Role.CARE: frozenset(
        {
            Permission.CARE,
            Permission.VIEW_CARE,
            Permission.VIEW_CATALOG,
            Permission.REVEAL_PERSONAL_DATA,  # to call the person: the showing is audited
        }
    ),
}


def permissions_of(roles: frozenset[Role] | set[Role]) -> frozenset[Permission]:
    """Union of what the roles grant."""
    out: set[Permission] = set()
    for role in roles:
        out |= GRANTS[role]
    return frozenset(out)
