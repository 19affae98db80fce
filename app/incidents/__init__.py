"""群众诉求 / 网格事件 (issue 19): report, accept, dispatch (by the catalog or a dispatcher),
sign or send back, handle, feed back, check, close, rate; shelve (挂账) and merge (并单).

Owns the ``incident`` tables and every change to them, each through the declared
``app.states.INCIDENT_FLOW``, audited, with a public timeline line and the stage's clock in
working hours (:mod:`app.workhours`). Reads the event catalog (``forms/incidents``). Never
imports Qt or printing.
"""
