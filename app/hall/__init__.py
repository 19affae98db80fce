"""The hall (大厅) and what it is set up with: the database brought into service, the
service catalog (事项目录) synced and read, the working-day calendar (工作日历).

Owns: ``setup`` (migrate, the hall, start-up catalog sync, demo users), ``catalog`` (the
synced catalog for the browser and the 办事指南), ``catalog_sync`` (which version of each
service is current: the database is the source of truth), ``workcalendar`` (the hall's own
holiday and workday adjustments).

May import: the foundation modules of ``app``, ``app.db``, ``app.audit``, ``app.people``
and ``forms``. Never ``app.queue`` or ``app.cases``.
"""
