"""The snapshots the 人民调解协议书 and the 司法确认申请书 print from (``printing/`` imports
only the foundation, so they live beside :mod:`app.documents`, not in :mod:`app.mediation`).

Sources: 《中华人民共和国人民调解法》(2010) 第二十九条 (the agreement's contents) and 第三十三条;
《中华人民共和国民事诉讼法》第二百零五条 (司法确认).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PartyDoc:
    """A party on paper: name, gender and age from the ID, masked ID and phone, address."""

    label: str  # 当事人甲
    name: str
    gender: str
    age: int
    id_masked: str
    phone_masked: str
    address: str


@dataclass(frozen=True)
class AgreementDoc:
    """Snapshot for :mod:`printing.mediation_agreement` (人民调解法 第二十八–三十二条)."""

    committee: str  # 人民调解委员会 of the dispute's level (the hall's name)
    number: str
    kind_label: str
    parties: tuple[PartyDoc, ...]
    facts: str
    issues: str
    liability: str
    terms: str
    performance_way: str
    perform_by: date
    signed_on: date
    mediators: tuple[str, ...]
    confirm_by: date


@dataclass(frozen=True)
class ConfirmationDoc:
    """Snapshot for :mod:`printing.judicial_confirmation` (民事诉讼法 第二百零五条)."""

    agreement: AgreementDoc
    claims: str  # 请求事项
