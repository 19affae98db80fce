"""The queue (取号叫号): tickets issued, called, served, transferred, closed at midnight.

Owns: ``queueing`` (issuing tickets, the ticket view every screen shows, change
notifications), ``issuing`` (the statements that number and write a ticket: the gapless
counter, the kiosk's press token), ``calling`` (the declared ticket transitions at a window
and the day's rollover), ``windows`` (windows, the hall board, the supervisor's hall view,
the display notice), ``queue_wait`` (waiting-ahead count and the wait estimate).

May import: the foundation modules of ``app``, ``app.db``, ``app.audit``, ``app.people``
and ``app.hall``. Never ``app.cases``.
"""
