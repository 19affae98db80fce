"""Database: engine set-up for SQLite and PostgreSQL, models, migrations, unit of work."""
