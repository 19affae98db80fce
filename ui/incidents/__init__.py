"""群众诉求 / 网格事件 screens (issue 19): the dispatcher's board, a department's inbox, the
reporters' list, the report form, one event's file with the steps its viewer may take, and
the small forms of those steps. Every action is one call of :mod:`app.incidents`."""
