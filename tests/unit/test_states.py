"""Every declared state table against its enum, and the guard."""

from __future__ import annotations

import pytest

from app.errors import Conflict
from app.states import ALL_FLOWS, CASE_FLOW, TICKET_FLOW, CaseState, TicketState


@pytest.mark.parametrize("flow", ALL_FLOWS, ids=lambda f: f.name)
def test_table_uses_only_its_states_and_reaches_them_all(flow) -> None:  # type: ignore[no-untyped-def]
    states = set(flow.states)
    for source, targets in flow.transitions.items():
        assert source in states
        assert set(targets) <= states
    reachable = set(flow.initial)
    frontier = list(flow.initial)
    while frontier:
        for nxt in flow.allowed(frontier.pop()):
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == states, f"unreachable: {states - reachable}"
    assert set(flow.labels) == states  # every state has its Chinese name


@pytest.mark.parametrize("flow", ALL_FLOWS, ids=lambda f: f.name)
def test_every_undeclared_transition_is_refused(flow) -> None:  # type: ignore[no-untyped-def]
    for a in flow.states:
        for b in flow.states:
            if b in flow.allowed(a):
                flow.check(a, b)
            else:
                with pytest.raises(Conflict):
                    flow.check(a, b)


def test_terminal_states_are_the_expected_ones() -> None:
    assert TICKET_FLOW.terminal() == {
        TicketState.DONE,
        TicketState.TRANSFERRED,
        TicketState.EXPIRED,
    }
    assert CASE_FLOW.terminal() == {CaseState.DELIVERED, CaseState.REFUSED, CaseState.WITHDRAWN}


def test_message_is_chinese_with_labels() -> None:
    with pytest.raises(Conflict, match="办件当前状态为“已出件”，不能变为“审批中”"):
        CASE_FLOW.check(CaseState.DELIVERED, CaseState.IN_REVIEW)
