"""Conditions of the service catalog: ``age >= 60``, ``disability == true`` …

Expressions are evaluated by simpleeval (a maintained safe-expression library: it walks
Python's AST with an allow-list, never calls ``eval``), with only the names the catalog
declares. :func:`compile_condition` is called when the catalog loads, so a bad
expression is a catalog error naming the file and field, never a crash at the counter.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

log = logging.getLogger(__name__)

# Literals a hall's catalog editor writes; JSON-style spellings are accepted too.
CONSTANTS: dict[str, Any] = {
    "true": True,
    "false": False,
    "True": True,
    "False": False,
    "null": None,
    "None": None,
}

# Facts about the applicant every condition may use, with a sample value of their type.
APPLICANT_FACTS: dict[str, Any] = {
    "age": 30,
    "gender": "男",
    "is_agent": False,
}

_MAX_LENGTH = 500


class ConditionError(ValueError):
    """An expression that cannot be a catalog condition."""


def _evaluator(names: Mapping[str, Any]) -> EvalWithCompoundTypes:
    return EvalWithCompoundTypes(names={**CONSTANTS, **names}, functions={"len": len})


@dataclass(frozen=True)
class Condition:
    """A checked expression. ``names`` are the variables it reads."""

    source: str
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Any]) -> bool | None:
        """True/False, or None when a value it needs is missing or of the wrong kind.

        "Unknown" lets the caller decide conservatively (e.g. show the material as
        needed until the form says otherwise) instead of guessing.
        """
        if any(values.get(name) is None for name in self.names):
            return None
        try:
            return bool(_evaluator(values).eval(self.source))
        except (InvalidExpression, TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            log.info("condition %r could not be evaluated on %r", self.source, dict(values))
            return None


_COMPILED: dict[tuple[str, tuple[tuple[str, str], ...]], Condition] = {}


def compile_condition(source: str, samples: Mapping[str, Any]) -> Condition:
    """Check ``source`` against the variables in ``samples`` (name → sample value).

    Raises :class:`ConditionError` with a Chinese message for syntax errors, unknown
    names and operations the language does not allow. A condition that compiled once is
    remembered (the counter evaluates the same few dozen on every keystroke).
    """
    key = (source, tuple(sorted((k, repr(v)) for k, v in samples.items())))
    found = _COMPILED.get(key)
    if found is None:
        found = _compile(source, samples)
        if len(_COMPILED) < 4096:
            _COMPILED[key] = found
    return found


def _compile(source: str, samples: Mapping[str, Any]) -> Condition:
    text = (source or "").strip()
    if not text:
        raise ConditionError("条件表达式为空")
    if len(text) > _MAX_LENGTH:
        raise ConditionError(f"条件表达式过长（最多 {_MAX_LENGTH} 个字符）")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"条件表达式语法错误：{text}") from exc
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - set(CONSTANTS)
    names.discard("len")
    unknown = sorted(names - set(samples))
    if unknown:
        raise ConditionError(f"条件表达式引用了未定义的字段：{', '.join(unknown)}")
    # A trial run with sample values catches what the allow-list forbids
    # (attribute access, lambdas, comprehensions…) and type slips like "age >= '六十'".
    try:
        _evaluator(samples).eval(text)
    except InvalidExpression as exc:
        raise ConditionError(f"条件表达式含有不允许的写法：{text}（{exc}）") from exc
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ConditionError(f"条件表达式的类型不匹配：{text}（{exc}）") from exc
    return Condition(source=text, names=frozenset(names))
