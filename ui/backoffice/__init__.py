"""The back office (后台审批): inboxes and the supervisor's case overview."""
