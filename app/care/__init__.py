"""一人一档 care of special groups: profiles, visit plans, visits, the due list and the
month's report.

Owns the care tables (``app.db.models.care``) and every change to them; the rules of
rhythms and of "overdue" (:mod:`app.care.rules`); the draft a visit raises at the counter
(:mod:`app.care.referral`). Reads the resident registry and the catalog; writes a draft
case through the case model, nothing else of the counter's. Never imports Qt or printing.
"""
