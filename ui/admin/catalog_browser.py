"""Browse the service catalog: services by department, their fields, materials, routing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import service_usage
from app.hall import catalog
from app.hall.catalog import CatalogEntry, condition_text
from app.hall.service_search import rank
from forms.schema import FIELD_TYPE_LABELS, FieldDef, StepKind
from ui.admin.catalog_notice import CatalogNotice, concerns
from ui.context import AppContext
from ui.print_preview import PdfPreviewDialog
from ui.widgets.tables import make_table

CODE_ROLE = Qt.ItemDataRole.UserRole


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeRowsToContents()


class CatalogBrowser(QWidget):
    """Departments and their services on the left, the chosen service's definition on the right."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.entries: dict[str, CatalogEntry] = {}
        self.usage: dict[str, int] = {}
        self.found: list[str] = []  # the codes the search finds, best first
        self.departments: dict[str, str] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索事项：名称、俗称、拼音首字母或编码"))
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._show_top)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("事项"), self.tr("时限")])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._selected)
        self.count = QLabel()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.tree)
        lv.addWidget(self.count)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打印办事指南…"))
        self.print_button.clicked.connect(self._print_guide)
        self.print_button.setEnabled(False)
        self.fields = make_table(
            [self.tr("字段"), self.tr("键"), self.tr("类型"), self.tr("必填"), self.tr("约束")],
            stretch=False,
        )
        self.materials = make_table(
            [
                self.tr("材料"),
                self.tr("形式"),
                self.tr("份数"),
                self.tr("何时需要"),
                self.tr("说明"),
            ],
            stretch=False,
        )
        self.routing = make_table(
            [self.tr("步骤"), self.tr("类型"), self.tr("部门（并行）")], stretch=False
        )
        tabs = QTabWidget()
        tabs.addTab(self.fields, self.tr("表单字段"))
        tabs.addTab(self.materials, self.tr("申请材料"))
        tabs.addTab(self.routing, self.tr("审批流程"))
        self.tabs = tabs
        right = QWidget()
        rv = QVBoxLayout(right)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.print_button)
        rv.addLayout(head)
        rv.addWidget(self.summary)
        rv.addWidget(tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 850])
        layout = QVBoxLayout(self)
        self.notice: CatalogNotice | None = None
        if concerns(actor, ctx.catalog):
            # What the start-up sync could not apply, field by field, for whoever fixes it.
            self.notice = CatalogNotice(ctx.catalog, full=True)
            layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self.reload()

    def reload(self) -> None:
        """Fetch the catalog from the database (off the GUI thread)."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: (
                catalog.list_services(db, actor),
                catalog.department_names(db),
                service_usage.counts(db, actor),
            ),
            self._loaded,
            parent=self,
        )

    def _loaded(self, result: tuple[list[CatalogEntry], dict[str, str], dict[str, int]]) -> None:
        entries, self.departments, self.usage = result
        self.entries = {e.code: e for e in entries}
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for e in entries:
            group = groups.get(e.department_code)
            if group is None:
                group = QTreeWidgetItem([e.department_name])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                groups[e.department_code] = group
                self.tree.addTopLevelItem(group)
            days = (
                self.tr("即办")
                if e.definition.promised_days == 0
                else self.tr("%n 个工作日", "", e.definition.promised_days)
            )
            item = QTreeWidgetItem([f"{e.code} {e.name}", days])
            item.setToolTip(0, f"{e.code} {e.name}（{e.kind_label}）")
            item.setData(0, CODE_ROLE, e.code)
            group.addChild(item)
        for group in groups.values():
            group.setText(0, f"{group.text(0)}（{group.childCount()}）")
        self.tree.expandAll()
        self.count.setText(
            self.tr("共 %n 个事项", "", len(entries)) + self.tr("，%n 个部门", "", len(groups))
        )
        first = next(self._service_items(), None)
        if first is not None:
            self.tree.setCurrentItem(first[1])
        if self.search.text():
            self._filter(self.search.text())

    def _groups(self) -> Iterator[QTreeWidgetItem]:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is not None:
                yield group

    def _service_items(self) -> Iterator[tuple[QTreeWidgetItem, QTreeWidgetItem]]:
        """(department item, service item) pairs in tree order."""
        for group in self._groups():
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None:
                    yield group, child

    def _filter(self, text: str) -> None:
        """Only the services the counter's search finds; the best hit shown."""
        self.found = [e.code for e in rank(list(self.entries.values()), text, self.usage)]
        hits = set(self.found)
        visible: dict[int, int] = {}
        for group, child in self._service_items():
            hit = child.data(0, CODE_ROLE) in hits
            child.setHidden(not hit)
            visible[id(group)] = visible.get(id(group), 0) + hit
        for group in self._groups():
            group.setHidden(visible.get(id(group), 0) == 0)
        if text.strip():
            self._show_top()

    def _show_top(self) -> None:
        if self.found:
            self.select(self.found[0])

    def visible_departments(self) -> list[str]:
        """Texts of the department rows the search leaves visible."""
        return [g.text(0) for g in self._groups() if not g.isHidden()]

    def select(self, code: str) -> None:
        """Show the service ``code``."""
        for _group, child in self._service_items():
            if child.data(0, CODE_ROLE) == code:
                self.tree.setCurrentItem(child)

    def _selected(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        code = item.data(0, CODE_ROLE) if item is not None else None
        entry = self.entries.get(code) if code else None
        self.print_button.setEnabled(entry is not None)
        if entry is None:
            return
        d = entry.definition
        self.title.setText(f"{d.name}")
        promised = (
            self.tr("当场办结")
            if d.promised_days == 0
            else self.tr("承诺 %n 个工作日", "", d.promised_days)
        )
        legal = self.tr("，法定 %n 个工作日", "", d.legal_days) if d.legal_days else ""
        parts = [
            f"{d.code} · {entry.department_name} · {entry.kind_label} · {promised}{legal}",
            self.tr("取号类别 %1 · 目录第 %2 版")
            .replace("%1", d.queue_category)
            .replace("%2", str(entry.version)),
        ]
        if d.scope:
            parts.append(self.tr("受理条件：") + d.scope)
        if d.legal_basis:
            parts.append(self.tr("设定依据：") + d.legal_basis)
        if d.suspend_during:
            names = {"supplement": self.tr("补正"), "publicity": self.tr("公示")}
            parts.append(
                self.tr("以下期间不计时：") + "、".join(names[s] for s in d.suspend_during)
            )
        self.summary.setText("\n".join(parts))
        labels = {f.key: f.label for f in d.fields}
        _fill(
            self.fields,
            [
                [
                    f.label,
                    f.key,
                    FIELD_TYPE_LABELS[f.type],
                    self.tr("是")
                    if f.required
                    else (
                        self.tr("当 %1 时").replace("%1", condition_text(f.required_when, labels))
                        if f.required_when
                        else self.tr("否")
                    ),
                    self._constraints(f),
                ]
                for f in d.fields
            ],
        )
        _fill(
            self.materials,
            [
                [
                    m.name,
                    m.form.value,
                    str(m.copies),
                    self.tr("必需")
                    if m.required
                    else (
                        self.tr("当 %1 时").replace("%1", condition_text(m.required_when, labels))
                        if m.required_when
                        else self.tr("如有")
                    ),
                    "；".join(x for x in (self.tr("可容缺") if m.deferrable else "", m.note) if x),
                ]
                for m in d.materials
            ],
        )
        kinds = {
            StepKind.REVIEW: self.tr("审批"),
            StepKind.PUBLICITY: self.tr("公示"),
            StepKind.ISSUE: self.tr("办结/发放"),
        }
        rows = []
        for s in d.routing:
            if s.kind == StepKind.PUBLICITY:
                who = self.tr("公示 %n 个工作日", "", s.days)
            else:
                who = "、".join(
                    self.departments.get(b.department, b.department)
                    + (f"（{condition_text(b.when, labels)}）" if b.when else "")
                    for b in s.departments
                )
            rows.append([s.name, kinds[s.kind], who])
        if not rows:
            rows.append([self.tr("即办"), self.tr("窗口当场办结"), ""])
        _fill(self.routing, rows)

    def _constraints(self, f: FieldDef) -> str:
        bits = []
        if f.choices:
            bits.append(" / ".join(f.choices))
        if f.min is not None:
            bits.append(f"≥ {f.min}")
        if f.max is not None:
            bits.append(f"≤ {f.max}")
        if f.max_length:
            bits.append(self.tr("最多 %n 字", "", f.max_length))
        if f.help:
            bits.append(f.help)
        return "；".join(bits)

    def _print_guide(self) -> None:
        item = self.tree.currentItem()
        code = item.data(0, CODE_ROLE) if item is not None else None
        if not code:
            return
        db, actor = self.ctx.db, self.actor

        def build() -> bytes:
            from printing import service_guide  # reportlab loads on first print, not at start

            return service_guide.render(catalog.guide(db, actor, code, date.today()))

        self.ctx.ops.run(build, lambda pdf: self._preview(pdf, code), parent=self)

    def _preview(self, pdf: bytes, code: str) -> None:
        entry = self.entries[code]
        dialog = PdfPreviewDialog(pdf, f"{entry.name} 办事指南", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
