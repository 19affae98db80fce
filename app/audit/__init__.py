"""The audit trail: every change of state appends one event in the same transaction.

Events form hash chains, one per hall (plus one for events of no hall, one for the daily
anchors, and the single chain of databases before revision 0013): each event's hash covers
its content and the previous hash of its chain, and ``audit_head`` holds each chain's last
sequence number and hash. Editing, deleting or reordering any event breaks verification;
a chain's tail cut off consistently is caught against the daily anchors and their copy kept
outside the database.

The parts: :mod:`app.audit.chain` (appending: :func:`record`, :func:`append`),
:mod:`app.audit.verify` (:func:`verify_chain`), :mod:`app.audit.anchors` (daily anchors and
the sheet to keep outside). What the auditor reads: :mod:`app.audit.listing` (the filtered,
paged list), :mod:`app.audit.readable` (events in names and Chinese words),
:mod:`app.audit.finding` (a record as typed → its ids) and :mod:`app.audit.labels` (the
Chinese labels of actions, record types and detail keys).

This package sits just above ``app.db``: it may import the foundation modules of ``app``
(errors, roles, actor) and ``app.db``, and every capability above it appends through it.
"""

from __future__ import annotations

from app.audit.chain import CHAIN as CHAIN
from app.audit.chain import CITY as CITY
from app.audit.chain import GENESIS as GENESIS
from app.audit.chain import HEAD_MISSING as HEAD_MISSING
from app.audit.chain import HEAD_REWOUND as HEAD_REWOUND
from app.audit.chain import MAIN as MAIN
from app.audit.chain import ROOT as ROOT
from app.audit.chain import TRAIL_WIPED as TRAIL_WIPED
from app.audit.chain import append as append
from app.audit.chain import chain_of as chain_of
from app.audit.chain import damaged as damaged
from app.audit.chain import record as record
from app.audit.labels import ACTION_LABELS as ACTION_LABELS
from app.audit.labels import DETAIL_LABELS as DETAIL_LABELS
from app.audit.labels import ENTITY_LABELS as ENTITY_LABELS
from app.audit.listing import AuditRow as AuditRow
from app.audit.listing import recent_events as recent_events
from app.audit.verify import ChainReport as ChainReport
from app.audit.verify import verify_chain as verify_chain
