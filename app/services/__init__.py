"""Services: one function per user action, each owning its transaction and audit event."""
