"""矛盾纠纷调解 (三级调解, issue 19 §2): disputes registered at 网格 / 社区调解委员会 /
街道综治中心, their sessions, escalation (by the mediator with a reason, or by housekeeping
when the level's time limit has passed), the outcome (人民调解协议书, 调解不成, 撤回), the
30-day 司法确认 window, 回访 a week and a month after the agreement, and the 化解率.

Owns the mediation tables (``app.db.models.mediation``) and every change to them; the time
limits and dispute kinds (``forms/mediation/mediation.yaml``, :mod:`app.mediation.rules`);
the snapshots the agreement and the 司法确认申请书 print from (:mod:`app.mediation.views`).
Reads the hall and users; writes nothing of the counter's. Never imports Qt or printing.

Sources: 《中华人民共和国人民调解法》(2010) 第二十八条–第三十三条; 《中华人民共和国民事诉讼法》
第二百零五条 (司法确认); 《人民调解工作若干规定》 (a dispute is generally settled within one month).
"""
