"""Alembic migrations. ``HEAD`` names the newest revision so that start-up can tell a
database is current without importing Alembic (a test keeps it equal to the scripts' head)."""

HEAD = "0018"
