"""调解: the mediator's workspace — the disputes with the days left of their level's limit,
the 回访 due, the month's 化解率 — the register form, the dispute's window (sessions,
escalation, outcome, printing, 回访) and its small forms. Each action is one service call of
:mod:`app.mediation`."""
