"""Every action the code records has a Chinese label (the auditor never reads a code).

The actions are found in the source, not listed by hand: every ``audit.record`` /
``audit.append`` call in ``app/`` is read, and its action argument followed back — through
local assignments, conditional expressions and the parameters of the functions that
forward it (``_act(…, "ticket_recalled")`` → ``_transition(…, action)`` →
``audit.record(…, action, …)``) — to the string literals it can be. An action the
resolver cannot follow fails the test with its place, so a new way of naming actions is
either made followable or added to :data:`COMPUTED` here.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.audit import ACTION_LABELS, DETAIL_LABELS, ENTITY_LABELS

ROOT = Path(__file__).resolve().parents[2]
SINKS = {"record", "append"}  # audit.record / audit.append: the action is the third argument
ACTION_POS = 2


def _task_outcomes() -> set[str]:
    from app.cases.workflow import OUTCOME_TASK_STATE

    return {f"task_{state.value}" for state in OUTCOME_TASK_STATE.values()}


# Actions computed by an expression the resolver cannot follow: its source text → values.
COMPUTED: dict[str, Callable[[], set[str]]] = {
    "f'task_{OUTCOME_TASK_STATE[d.outcome].value}'": _task_outcomes,
}


class Unresolved(Exception):
    """An action argument the resolver cannot follow to string literals."""


@dataclass
class Module:
    path: Path
    tree: ast.Module
    parents: dict[ast.AST, ast.AST]


def _modules() -> list[Module]:
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        found.append(Module(path, tree, parents))
    return found


MODULES = _modules()
Func = ast.FunctionDef | ast.AsyncFunctionDef


def _enclosing(m: Module, node: ast.AST) -> Func | None:
    while node in m.parents:
        node = m.parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def _is_method(m: Module, f: Func) -> bool:
    return isinstance(m.parents.get(f), ast.ClassDef)


def _where(m: Module, node: ast.AST) -> str:
    return f"{m.path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"


def _sink_calls() -> Iterator[tuple[Module, ast.Call]]:
    for m in MODULES:
        if m.path.parent.name == "audit":
            continue
        for node in ast.walk(m.tree):
            f = node.func if isinstance(node, ast.Call) else None
            if (
                isinstance(f, ast.Attribute)
                and f.attr in SINKS
                and isinstance(f.value, ast.Name)
                and f.value.id == "audit"
            ):
                assert isinstance(node, ast.Call)
                yield m, node


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return None


def _callers(m: Module, f: Func) -> Iterator[tuple[Module, ast.Call]]:
    """Calls of ``f`` by name (private names: in its own module only), never the sinks.

    ``app/audit`` itself is no caller: it records nothing for the services, and its
    ``names.record(event)`` is not ``CallContext.record``.
    """
    for other in MODULES:
        if (f.name.startswith("_") and other is not m) or other.path.parent.name == "audit":
            continue
        for node in ast.walk(other.tree):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            by_name = isinstance(fn, ast.Name) and fn.id == f.name
            by_attribute = (
                isinstance(fn, ast.Attribute)
                and fn.attr == f.name
                and not (isinstance(fn.value, ast.Name) and fn.value.id == "audit")
            )
            if by_name or by_attribute:
                yield other, node


def _resolve(m: Module, expr: ast.expr | None, depth: int = 0) -> set[str]:
    if expr is None or depth > 8:
        raise Unresolved("nothing to follow")
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _resolve(m, expr.body, depth + 1) | _resolve(m, expr.orelse, depth + 1)
    source = ast.unparse(expr)
    if source in COMPUTED:
        return COMPUTED[source]()
    if not isinstance(expr, ast.Name):
        raise Unresolved(f"{_where(m, expr)}: {source}")
    func = _enclosing(m, expr)
    if func is None:
        raise Unresolved(f"{_where(m, expr)}: {source} outside a function")
    params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    if expr.id in params:
        index = params.index(expr.id) - (1 if _is_method(m, func) else 0)
        values: set[str] = set()
        callers = list(_callers(m, func))
        if not callers:
            raise Unresolved(f"{_where(m, func)}: nobody calls {func.name}()")
        for caller_module, call in callers:
            values |= _resolve(caller_module, _argument(call, index, expr.id), depth + 1)
        return values
    assigned = [
        node.value
        for node in ast.walk(func)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
    ]
    if not assigned:  # a module's constant (DEVICE_STARTED = "device_started")
        assigned = [
            node.value
            for node in m.tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
        ]
    if not assigned:
        raise Unresolved(f"{_where(m, expr)}: {expr.id} is neither assigned nor a parameter")
    return set().union(*(_resolve(m, v, depth + 1) for v in assigned))


def recorded_actions() -> dict[str, str]:
    """Each action the code can record → one place that records it."""
    found: dict[str, str] = {}
    unresolved = []
    for m, call in _sink_calls():
        try:
            for action in _resolve(m, _argument(call, ACTION_POS, "action")):
                found.setdefault(action, _where(m, call))
        except Unresolved as exc:
            unresolved.append(f"{_where(m, call)} ← {exc}")
    assert not unresolved, "cannot tell which actions these record:\n" + "\n".join(unresolved)
    return found


def test_the_resolver_follows_actions_through_their_callers() -> None:
    actions = recorded_actions()
    # One of each way of naming an action: a literal, a conditional, a parameter passed on
    # twice, a method's parameter, and the computed approval outcomes.
    for expected in (
        "login",
        "account_locked",
        "ticket_recalled",
        "ticket_expired",
        "window_paused",
        "case_withdrawn",
        "case_accepted_with_promise",
        "task_returned",
        "ticket_issued",
    ):
        assert expected in actions
    assert len(actions) >= 50


def test_every_recorded_action_has_a_chinese_label() -> None:
    missing = {a: where for a, where in recorded_actions().items() if a not in ACTION_LABELS}
    assert not missing, f"actions without a label in app/audit/labels.py: {missing}"


def test_labels_are_chinese_and_distinct() -> None:
    for table in (ACTION_LABELS, ENTITY_LABELS, DETAIL_LABELS):
        for code, label in table.items():
            assert label and any("\u4e00" <= ch <= "\u9fff" for ch in label), (code, label)
    assert len(set(ACTION_LABELS.values())) == len(ACTION_LABELS)  # the filter lists them


@pytest.mark.parametrize("source", sorted(COMPUTED))
def test_computed_actions_are_still_in_the_code(source: str) -> None:
    """A COMPUTED entry whose expression left the code would silently check nothing."""
    texts = [ast.unparse(node) for m in MODULES for node in ast.walk(m.tree)]
    assert source in texts


def test_operators_that_are_no_user_are_offered_by_the_names_their_events_carry() -> None:
    from app.actor import SYSTEM
    from app.audit.labels import MACHINE_OPERATORS
    from app.queue.queueing import kiosk_actor
    from app.ratings.levels import rating_actor

    machines = {SYSTEM.full_name, kiosk_actor(1).full_name, rating_actor(1).full_name}
    assert set(MACHINE_OPERATORS) == machines
