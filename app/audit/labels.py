"""The words the auditor reads instead of codes: actions, record types and detail keys.

Every action the code records needs an entry in :data:`ACTION_LABELS`
(``tests/unit/test_audit_labels.py`` finds the recorded actions in the source and fails on
one without a label). Entries stay after an action stops being recorded: old events keep
their name. The order is the order of the auditor's action filter (grouped by work).
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # accounts
    "login": "登录",
    "login_failed": "登录失败",
    "account_locked": "账号锁定",
    "password_changed": "修改密码",
    "first_admin_created": "创建初始管理员",
    "user_created": "新建用户",
    "user_updated": "修改用户",
    "user_disabled": "停用用户",
    "user_enabled": "启用用户",
    "user_unlocked": "解除锁定",
    "password_reset": "重置密码",
    # queue
    "ticket_issued": "取号",
    "ticket_called": "叫号",
    "ticket_recalled": "重呼",
    "ticket_started": "开始办理",
    "ticket_finished": "办理完毕",
    "ticket_no_show": "过号",
    "ticket_returned": "过号后返回排队",
    "ticket_transferred": "转窗",
    "ticket_expired": "日终关闭号票",
    "ticket_reprinted": "补打号票",
    "window_opened": "开窗",
    "window_paused": "暂停窗口",
    "window_left": "离岗（窗口暂停、交出）",
    "window_taken_over": "接管窗口",
    "device_started": "设备启动",
    "window_closed": "关窗",
    "window_queue_moved": "移交窗口队列",
    "window_saved": "设置窗口",
    "notice_changed": "修改大厅公告",
    # residents
    "resident_created": "登记申请人",
    "resident_updated": "修改申请人档案",
    "personal_data_revealed": "查看完整个人信息",
    # counter intake
    "case_draft_saved": "暂存办件",
    "case_notice_issued": "出具一次性告知书",
    "case_accepted": "受理",
    "case_accepted_with_promise": "容缺受理",
    "case_completed_at_counter": "即办件当场办结",
    "case_refused": "不予受理",
    "page_viewed": "查看材料页",
    "case_file_exported": "导出归档案卷",
    "page_marked_unreadable": "标记材料页无法辨认",
    "page_unreadable_cleared": "取消材料页无法辨认标记",
    "page_rotated": "旋转材料页",
    # back office
    "task_claimed": "签收审批任务",
    "task_released": "退回待办",
    "task_approved": "审批同意",
    "task_rejected": "审批不同意",
    "task_returned": "退回补正",
    "task_transferred": "转办",
    "case_resubmitted": "补正后重新提交",
    "case_publicity_ended": "公示期满",
    "case_objection": "公示异议",
    "case_withdrawn": "撤回申请",
    "case_delivered": "统一窗口出件",
    # documents
    "document_issued": "出具文书",
    "document_reprinted": "补打文书",
    "publicity_list_printed": "打印公示名单",
    # 好差评 and 整改
    "rating_given": "好差评评价",
    "rating_revised": "重新评价（2 分钟内）",
    "rectification_opened": "差评整改立项",
    "rectification_voided": "差评已更正，整改撤销",
    "rectification_callback": "整改回访",
    "rectification_closed": "整改办结",
    "rectification_appealed": "整改申诉",
    # 一人一档 care of special groups
    "care_profile_created": "建立关爱档案",
    "care_profile_updated": "修改关爱档案",
    "care_profile_viewed": "查看关爱档案",
    "care_person_state_changed": "登记去世或迁出",
    "care_group_added": "增加人群类别",
    "care_plan_added": "制定探访计划",
    "care_plan_closed": "结束探访计划",
    "care_event_recorded": "登记重大变故",
    "care_visit_recorded": "登记探访",
    "care_visit_cancelled": "作废探访记录",
    "care_visit_restored": "恢复探访记录",
    "care_route_sheet_printed": "打印走访路线单",
    "case_draft_from_visit": "探访转窗口暂存件",
    # the hall
    "calendar_day_set": "调整工作日历",
    "calendar_day_cleared": "撤销日历调整",
    "catalog_synced": "同步事项目录",
    "hall_created": "创建大厅",
    "demo_seeded": "写入演示数据",
    "audit_anchored": "审计锚点",
    "audit_anchor_printed": "打印审计锚点单",
}

# What ``entity`` names, as the record filter offers it (in this order).
ENTITY_LABELS: dict[str, str] = {
    "case": "办件",
    "ticket": "号票",
    "resident": "申请人",
    "user": "用户",
    "window": "窗口",
    "calendar_day": "工作日历",
    "catalog": "事项目录",
    "hall": "大厅",
    "audit_chain": "审计链",
    "device": "设备",
    "rating": "好差评",
    "rectification": "差评整改",
    "care_profile": "关爱档案",
}

# The hall's unattended devices and the problems they report (app.hall.devices records
# them by these codes; the auditor reads the words).
DEVICE_LABELS: dict[str, str] = {"hall_display": "大厅显示屏"}
DEVICE_PROBLEM_LABELS: dict[str, str] = {
    "no_chinese_voice": "未找到中文语音，仅提示音",
    "no_sound": "没有可用的声音系统，叫号只显示、不发声",
}

# Keys of the before/after snapshots the services record.
DETAIL_LABELS: dict[str, str] = {
    "case_no": "办件编号",
    "state": "状态",
    "step": "环节",
    "due": "办结期限",
    "task": "审批任务",
    "items": "补正事项",
    "missing": "告知事项",
    "reason": "理由",
    "code": "号码",
    "window": "窗口",
    "priority": "优先原因",
    "clerk": "值守人员",
    "number": "窗口号",
    "name": "名称",
    "letters": "服务队列",
    "to_window": "移至窗口",
    "tickets": "号票数",
    "notice": "公告",
    "id": "身份证号",
    "phone": "电话",
    "address": "地址",
    "tags": "人员类别",
    "username": "用户名",
    "full_name": "姓名",
    "roles": "角色",
    "departments": "部门",
    "locked_until": "锁定至",
    "is_workday": "调整为",
    "note": "依据",
    "source": "来源",
    "new": "新增事项",
    "versions": "新版本",
    "retired": "停用事项",
    "skipped": "未覆盖的本地修改",
    "users": "用户",
    "demo": "演示大厅",
    "device": "设备",
    "station": "电脑",
    "problem": "问题",
    "pages": "材料页",
    "page": "材料页",
    "material": "材料",
    "position": "页码",
    "rotation": "旋转角度",
    "unreadable": "无法辨认",
    "subject": "评价对象",
    "level": "评价等级",
    "reasons": "差评原因",
    "replaces": "更正的评价",
    "rating": "评价",
    "sha256": "校验值",
    "bytes": "文件大小",
    "images": "图像数",
    "missing_pages": "缺失的页",
    "pdf_pages": "PDF 页数",
    "marks_cleared": "被替换的页",
    "tier": "风险等级",
    "groups": "人群类别",
    "consent": "同意建档",
    "changed": "修改项目",
    "plan": "探访计划",
    "rhythm": "探访频次",
    "mode": "探访方式",
    "visit": "探访记录",
    "day": "探访日期",
    "events_met": "已响应的重大变故",
    "urgent": "紧急跟进",
    "service": "转办事项",
    "draft": "暂存件",
    "event": "重大变故",
    "kind": "事件类型",
    "closed_plans": "结束的探访计划",
    "people": "人数",
    "collector": "领取人",
    "withdrawn": "撤回的暂存件",
    "rows": "条数",
}

# Keys whose label depends on the record: a resident's "name" is a person's name.
DETAIL_LABELS_BY_ENTITY: dict[tuple[str, str], str] = {
    ("resident", "name"): "姓名",
    ("window", "name"): "窗口名称",
    ("hall", "name"): "大厅名称",
    ("rating", "note"): "意见",
    ("rectification", "due"): "整改期限",
    ("audit_chain", "seq"): "链头序号",
    ("audit_chain", "hash"): "链头哈希",
    ("audit_chain", "root"): "锚点",
    ("care_profile", "due"): "下次探访",
    ("care_profile", "state"): "状态",
}

# Operators that are no user (``actor_id`` empty), by the name their events carry:
# ``app.actor.SYSTEM``, the kiosk (``app.queue.queueing.kiosk_actor``) and the window's
# rating screen (``app.ratings.levels.rating_actor``).
MACHINE_OPERATORS = ("系统", "自助取号机", "评价器")

CATALOG_SOURCES = {"shipped": "随程序发布的目录", "hall": "本大厅修改的目录"}
