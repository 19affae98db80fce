"""OneWindow core: domain, services, database, rules. Qt-free (a test proves it)."""

__version__ = "0.1.0"
