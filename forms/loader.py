"""Load and check catalog files. Every problem names the file and the field path."""

from __future__ import annotations

import hashlib
import json
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app import text
from app.errors import DomainError
from forms.schema import CatalogFile, DepartmentDef, HallFile, QueueCategoryDef, ServiceDef

HALL_FILE = "_hall.yaml"
# libyaml's C parser when present (10× faster at start-up), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_pattern_mismatch": "格式不符合要求",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "enum": "取值不在允许范围内",
    "decimal_parsing": "应为数字",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "tuple_type": "应为列表",
    "model_type": "应为键值结构",
    "finite_number": "应为有限的数字（不能是 .inf 或 .nan）",
    "decimal_type": "应为数字",
    "decimal_max_places": "最多两位小数",
    "decimal_max_digits": "位数过多",
    "decimal_whole_digits": "位数过多",
    "less_than": "数值过大",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "dict_type": "应为键值结构",
    "string_unicode": "应为文字",
}
# A file bigger than this is not a catalog file (the largest shipped one is ~15 kB); it is
# refused before it is parsed. Aliases are refused too (see _read_yaml).
FILE_MAX = 1_000_000
# A file name is kept with each service version (a 100-character column).
FILE_NAME_MAX = 100
# How much of a value or a message an error line quotes: a line stays readable.
QUOTE_MAX = 60
MESSAGE_MAX = 300
_short_repr = reprlib.Repr()
_short_repr.maxstring = _short_repr.maxother = QUOTE_MAX + 20
_short_repr.maxlist = _short_repr.maxtuple = _short_repr.maxdict = 6
_short_repr.maxlevel = 3


@dataclass(frozen=True)
class CatalogProblem:
    """One error in one file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """The catalog has problems; ``problems`` lists each with file and field."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class CatalogService:
    """A service together with its department and the digest of its definition."""

    definition: ServiceDef
    department: DepartmentDef
    file: str
    file_version: int
    digest: str


@dataclass
class Catalog:
    """Everything the catalog files declare, checked as a whole."""

    queue_categories: list[QueueCategoryDef] = field(default_factory=list)
    departments: dict[str, DepartmentDef] = field(default_factory=dict)
    services: dict[str, CatalogService] = field(default_factory=dict)

    def digest(self) -> str:
        """A fingerprint of the whole catalog: queues, departments and every service."""
        whole = {
            "queues": [[q.letter, q.name] for q in self.queue_categories],
            "departments": {code: d.name for code, d in self.departments.items()},
            "services": {code: svc.digest for code, svc in self.services.items()},
        }
        blob = json.dumps(whole, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def by_department(self) -> dict[str, list[CatalogService]]:
        """Services grouped by department code, in file order."""
        groups: dict[str, list[CatalogService]] = {code: [] for code in self.departments}
        for svc in self.services.values():
            groups.setdefault(svc.department.code, []).append(svc)
        return groups


def digest_of(service: ServiceDef) -> str:
    """A stable fingerprint of a service definition (changes when anything in it does)."""
    data = service.model_dump(mode="json")
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def quote(value: Any) -> str:
    """``value`` as an error line quotes it: its repr, invisible characters shown as U+FFFD,
    at most :data:`QUOTE_MAX` characters then "…" (a long or huge value stays one short line).
    """
    return text.excerpt(_short_repr.repr(value), QUOTE_MAX)


def _loc(loc: Iterable[int | str], raw: Any) -> str:
    """``services[3](MZ001).materials[1].copies`` from a pydantic error location."""
    out = ""
    node = raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            try:
                node = node[part]
            except (IndexError, KeyError, TypeError):
                node = None
            top_level_service = out.startswith("services") and out.count("[") == 1
            if top_level_service and isinstance(node, dict) and node.get("code"):
                out += f"({text.excerpt(str(node['code']), 20)})"
        else:
            if part.startswith("function-") or part in ("tagged-union",):
                continue
            key = text.excerpt(part, 40)  # an unknown key is the file's own text
            out += f".{key}" if out else key
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _problems_of(exc: ValidationError, name: str, raw: Any) -> list[CatalogProblem]:
    found = []
    for err in exc.errors():
        message = _PYDANTIC_ZH.get(err["type"], "")
        if err["type"] == "value_error":
            message = text.excerpt(str(err.get("ctx", {}).get("error", err["msg"])), MESSAGE_MAX)
        elif message and "input" in err and err["type"] not in ("missing",):
            message = f"{message}（现为 {quote(err['input'])}）"
        found.append(CatalogProblem(name, _loc(err["loc"], raw), message or err["msg"]))
    return found


def _shared_node(root: yaml.Node) -> yaml.Node | None:
    """The first node reached twice from ``root`` (an alias ``*x`` of an anchor ``&x``).

    Composing keeps an alias as a second reference to the anchored node, so the graph is
    as small as the file; only building Python values (and validating them) multiplies it.
    Walks each node once, without recursion.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
    return None


def _read_yaml(path: Path, name: str) -> Any:
    """The file's data; CatalogError (file, line) if it cannot be read or is not plain YAML.

    Refused before any value is built: a file over :data:`FILE_MAX` bytes, and any alias
    (``*x``, ``<<: *x``) — a few lines of nested aliases ("billion laughs") expand to
    billions of values. Catalog files write everything out; nothing in them needs aliases.
    """
    try:
        if path.stat().st_size > FILE_MAX:
            message = f"文件过大（超过 {FILE_MAX // 1000} kB），不是目录文件"
            raise CatalogError([CatalogProblem(name, "", message)])
        source = path.read_text(encoding="utf-8")
        loader = _SafeLoader(source)  # CSafeLoader or SafeLoader: safe
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            shared = _shared_node(node)
            if shared is not None:
                where = f"第 {shared.start_mark.line + 1} 行"
                message = "此处内容被别名（*）引用：目录文件不能使用 YAML 锚点和别名（&、*、<<），请直接写出"
                raise CatalogError([CatalogProblem(name, where, message)])
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)  # without the quoted context
        context = getattr(exc, "context", None)
        said = f"{context}: {problem}" if context else problem
        message = text.excerpt("YAML 格式错误：" + " ".join(said.split()), MESSAGE_MAX)
        raise CatalogError([CatalogProblem(name, where, message)]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        message = text.excerpt(f"无法读取文件：{exc}", MESSAGE_MAX)
        raise CatalogError([CatalogProblem(name, "", message)]) from exc


def _file_name_problem(name: str) -> CatalogProblem | None:
    """A file name the database cannot keep (too long, or characters no text may hold)."""
    if len(name) > FILE_NAME_MAX:
        message = f"文件名过长（最多 {FILE_NAME_MAX} 个字符）"
        return CatalogProblem(text.excerpt(name, QUOTE_MAX), "", message)
    try:
        text.check_chars(name, "file")
    except DomainError as exc:
        return CatalogProblem(text.excerpt(name, QUOTE_MAX), "", f"文件名：{exc.message}")
    return None


def default_catalog_dir() -> Path:
    """The catalog shipped with the program (works in the frozen build too)."""
    return Path(str(resources.files("forms") / "catalog"))


def _declared_department(raw: Any) -> str | None:
    """The department code a file that failed validation meant to declare, if readable."""
    dept = raw.get("department") if isinstance(raw, dict) else None
    code = dept.get("code") if isinstance(dept, dict) else None
    return code if isinstance(code, str) else None


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load every ``*.yaml`` of ``directory``; raise :class:`CatalogError` listing all problems.

    A file that fails to load reports its own problems only: routing steps elsewhere that
    name its department (or any department, when the broken file's department cannot be
    read, or ``_hall.yaml`` is broken) are not reported as "部门未定义" on top.
    """
    folder = directory or default_catalog_dir()
    if not folder.is_dir():
        raise CatalogError([CatalogProblem(str(folder), "", "目录文件夹不存在")])
    problems: list[CatalogProblem] = []
    catalog = Catalog()
    hall_path = folder / HALL_FILE
    if not hall_path.exists():
        raise CatalogError([CatalogProblem(HALL_FILE, "", "缺少大厅配置文件（取号类别）")])
    broken: set[str] = set()  # departments declared by files that failed
    unknown_broken = False  # a failed file whose department cannot be told
    try:
        hall_raw = _read_yaml(hall_path, HALL_FILE)
        hall = HallFile.model_validate(hall_raw)
        catalog.queue_categories = list(hall.queue_categories)
        catalog.departments = {d.code: d for d in hall.departments}
    except ValidationError as exc:
        problems += _problems_of(exc, HALL_FILE, hall_raw)
        unknown_broken = True
    except CatalogError as exc:
        problems += exc.problems
        unknown_broken = True
    files: list[tuple[str, CatalogFile]] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == HALL_FILE:
            continue
        raw: Any = None
        bad_name = _file_name_problem(path.name)
        if bad_name is not None:
            problems.append(bad_name)
            unknown_broken = True
            continue
        try:
            raw = _read_yaml(path, path.name)
            files.append((path.name, CatalogFile.model_validate(raw)))
        except ValidationError as exc:
            problems += _problems_of(exc, path.name, raw)
        except CatalogError as exc:
            problems += exc.problems
        else:
            continue
        code = _declared_department(raw)
        if code is None:
            unknown_broken = True
        else:
            broken.add(code)
    for _, cf in files:
        catalog.departments[cf.department.code] = cf.department
    letters = {q.letter for q in catalog.queue_categories}
    for name, cf in files:
        for i, svc in enumerate(cf.services):
            where = f"services[{i}]({svc.code})"
            if svc.code in catalog.services:
                other = catalog.services[svc.code].file
                problems.append(CatalogProblem(name, where + ".code", f"事项编码与 {other} 重复"))
                continue
            if letters and svc.queue_category not in letters:
                problems.append(
                    CatalogProblem(
                        name,
                        where + ".queue_category",
                        f"取号类别 {svc.queue_category} 未在 {HALL_FILE} 中定义",
                    )
                )
            for j, step in enumerate(svc.routing):
                for k, branch in enumerate(step.departments):
                    known = branch.department in catalog.departments
                    if not known and not unknown_broken and branch.department not in broken:
                        problems.append(
                            CatalogProblem(
                                name,
                                f"{where}.routing[{j}].departments[{k}].department",
                                f"部门 {branch.department} 未定义",
                            )
                        )
            catalog.services[svc.code] = CatalogService(
                svc, cf.department, name, cf.version, digest_of(svc)
            )
    if problems:
        raise CatalogError(problems)
    return catalog
