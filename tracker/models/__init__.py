"""The domain model; every table is importable from here."""

from tracker.models.audit import AUDIT_ACTIONS, AuditEvent
from tracker.models.catalogue import Item, ItemAlias, ItemCategory, Recipient
from tracker.models.data_version import DATA_VERSION_ROW, DataVersion
from tracker.models.donor import Donor, DonorAlias, DonorGroupMember
from tracker.models.login_failure import LoginFailure
from tracker.models.pledge import CONVERSION_STATUSES, Package, Pledge
from tracker.models.report import REPORT_ROLES, STAGE_ROLES, Report
from tracker.models.request import Request
from tracker.models.review import REVIEW_ACTIONS, ReviewDecision, ReviewDecisionPledge
from tracker.models.source import SOURCE_KINDS, Evidence, Source
from tracker.models.totals import ROLLUP_DIMENSIONS, TotalsRollup
from tracker.models.user import ROLES, User

__all__ = [
    "AUDIT_ACTIONS",
    "CONVERSION_STATUSES",
    "DATA_VERSION_ROW",
    "REPORT_ROLES",
    "REVIEW_ACTIONS",
    "ROLES",
    "ROLLUP_DIMENSIONS",
    "SOURCE_KINDS",
    "STAGE_ROLES",
    "AuditEvent",
    "DataVersion",
    "Donor",
    "DonorAlias",
    "DonorGroupMember",
    "Evidence",
    "Item",
    "ItemAlias",
    "ItemCategory",
    "LoginFailure",
    "Package",
    "Pledge",
    "Recipient",
    "Report",
    "Request",
    "ReviewDecision",
    "ReviewDecisionPledge",
    "Source",
    "TotalsRollup",
    "User",
]
