"""A case opened by scanning its receipt (or by number): state, due date, documents."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QWidget

from app.services import cases
from app.services.cases import DOCUMENT_LABELS, CaseSummary
from ui.context import AppContext
from ui.counter.printing import show_pdf


class CaseDialog(QDialog):
    """What the clerk needs to answer "where is my case?" and to reprint (补打)."""

    def __init__(
        self, ctx: AppContext, actor: object, case: CaseSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.case = ctx, actor, case
        self.setWindowTitle(self.tr("办件 {no}").format(no=case.case_no or ""))
        form = QFormLayout(self)
        form.addRow(self.tr("办件编号"), QLabel(case.case_no or self.tr("（暂存）")))
        form.addRow(self.tr("事项"), QLabel(f"{case.service_name}（{case.service_code}）"))
        form.addRow(self.tr("申请人"), QLabel(f"{case.applicant_name}  {case.applicant_id_masked}"))
        form.addRow(self.tr("状态"), QLabel(case.state_label))
        if case.due_date:
            form.addRow(self.tr("承诺办结日期"), QLabel(case.due_date.isoformat()))
        if case.deferred_until:
            form.addRow(self.tr("容缺补交期限"), QLabel(case.deferred_until.isoformat()))
        if case.notice_items:
            form.addRow(self.tr("告知补正"), QLabel("；".join(case.notice_items)))
        self.status = QLabel()
        for doc_id, kind in case.documents:
            button = QPushButton(
                self.tr("补打{label}").format(label=DOCUMENT_LABELS.get(kind, kind))
            )
            button.clicked.connect(lambda _=False, d=doc_id, k=kind: self.reprint(d, k))
            form.addRow(button)
        form.addRow(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        form.addRow(close)

    def reprint(self, document_id: int, kind: str) -> None:
        """Fetch the saved PDF (audited) and preview it for printing."""
        title = f"{DOCUMENT_LABELS.get(kind, kind)} {self.case.case_no or ''}"
        self.ctx.ops.run(
            lambda: cases.document_pdf(self.ctx.db, self.actor, document_id),  # type: ignore[arg-type]
            lambda pdf: show_pdf(self, pdf, title),
            lambda e: self.status.setText(e.message),
            parent=self,
        )
