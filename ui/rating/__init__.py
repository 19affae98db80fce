"""The resident's 好差评: the rating screen beside a counter and the five-level panel.

``rate_panel`` (the five big level buttons, the reasons of a bad rating, a note — shared
with the kiosk's 评价) and ``rating_screen`` (``onewindow --rating WINDOW``: waits for the
window's ticket to finish, asks, thanks, offers a re-rate for 2 minutes, times out).
"""
