"""People (一人一档 and staff): residents and agents, users, passwords.

Owns: resident records (ID-derived facts, masked views, search by ID, name, phone and pinyin
initials; revealing a full number is audited), user accounts, roles and log-in, password
hashing and lockout.

May import: the foundation modules of ``app`` (errors, text, ids, roles, states, actor …),
``app.db`` and ``app.audit``. Never ``app.hall``, ``app.queue`` or ``app.cases``.
"""
