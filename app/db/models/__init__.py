"""All models, imported here so the metadata is complete for Alembic and create_all."""

from app.db.models.audit import AuditEvent, AuditHead, CalendarOverride
from app.db.models.base import Base
from app.db.models.care import CareEvent, CareGroup, CarePlan, CareProfile, CareVisit
from app.db.models.cases import (
    LIVE_TASK,
    OPEN_CASE,
    Case,
    CaseCounter,
    CaseDocument,
    CaseMaterial,
    Notification,
    Resident,
    Task,
)
from app.db.models.catalog import CatalogApplied, QueueCategory, ServiceType, ServiceVersion
from app.db.models.incidents import Incident, IncidentExtension, IncidentLine, IncidentPage
from app.db.models.mediation import (
    Agreement,
    Dispute,
    DisputeParty,
    FollowUp,
    LevelStep,
    MediationSession,
)
from app.db.models.org import Department, Hall, User, UserDepartment, UserRole
from app.db.models.pages import CasePage, PageBlob
from app.db.models.queue import Ticket, TicketCounter, Window, WindowCategory
from app.db.models.ratings import Rating, Rectification

__all__ = [
    "LIVE_TASK",
    "OPEN_CASE",
    "Agreement",
    "AuditEvent",
    "AuditHead",
    "Base",
    "CalendarOverride",
    "CareEvent",
    "CareGroup",
    "CarePlan",
    "CareProfile",
    "CareVisit",
    "Case",
    "CaseCounter",
    "CaseDocument",
    "CaseMaterial",
    "CasePage",
    "CatalogApplied",
    "Department",
    "Dispute",
    "DisputeParty",
    "FollowUp",
    "Hall",
    "Incident",
    "IncidentExtension",
    "IncidentLine",
    "IncidentPage",
    "LevelStep",
    "MediationSession",
    "Notification",
    "PageBlob",
    "QueueCategory",
    "Rating",
    "Rectification",
    "Resident",
    "ServiceType",
    "ServiceVersion",
    "Task",
    "Ticket",
    "TicketCounter",
    "User",
    "UserDepartment",
    "UserRole",
    "Window",
    "WindowCategory",
]
