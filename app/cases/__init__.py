"""Cases (办件): from the counter's intake to the back office's decision to the pickup window.

Owns: ``intake`` (综合受理: accept, 一次性告知, 不予受理, drafts) with ``intake_rows``
(what its outcomes read and write: the application loaded, case numbers, the case row,
materials, first tasks), ``cases`` (the case's facts and lookups, the 受理回执 snapshot),
``routing`` (the declared step machine: 初审 → 复审 → 公示 → 发放, parallel departments,
the deadline clock), ``workflow`` (the back office's actions on it: 签收, decisions, 补正,
objections, 撤回), ``inbox`` (审批待办), ``outcomes`` (the back office's notices),
``casefile`` (the case view), ``oversight`` (办件监控), ``pickup`` (统一出件 and ready
messages), ``issued`` (documents rendered after commit and archived), ``housekeeping``
(every PC's timer round: 公示 ending, messages, the queue's rollover), ``service_usage``
(the services a clerk took lately, for the service search) and ``demo_cases`` (the demo
database's sample cases).

May import every lower capability: the foundation modules of ``app``, ``app.db``,
``app.audit``, ``app.people``, ``app.hall``, ``app.queue`` and ``forms``.
"""
