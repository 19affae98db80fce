"""探访关爱: the community worker's screens for 一人一档 care of special groups.

The due list (待办探访, the default), the profiles list (服务对象), the profile with its
plans, events and visits, and the visit dialog. Each user action is one call into
:mod:`app.care` off the GUI thread; a refusal shows next to the field it names and
nothing typed is lost. The supervisor reads (VIEW_CARE) and changes nothing.
"""
