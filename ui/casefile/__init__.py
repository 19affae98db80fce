"""The case view (案卷): shared by the back office, the counter and the supervisor."""
