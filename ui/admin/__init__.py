"""The administrator's workspace: users and the service catalog."""
