"""The database (layer 3): engines for SQLite and PostgreSQL (``engine``), the unit of work
(``session``), the one table of database faults (``faults``), the models and their
migrations, the clock every service reads and the hall's service day (``clock``).

May import the foundation modules of ``app`` only; ``app.events`` (the change feed) sits
beside it. Every capability (audit, people, hall, queue, cases) builds on it.
"""
