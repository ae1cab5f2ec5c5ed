"""The models of wagtail_ar. Their names are a public interface: import them from here.

The choices are defined in :mod:`wagtail_ar.choices` (the bottom layer, which imports nothing
of the package) and re-exported here for convenience.
"""

from ..choices import (
    ActivityFormat,
    ClusterCategory,
    ClusterOutcome,
    ClusterStatus,
    CommunityRole,
    ComplianceStatus,
    ForumPostKind,
    ForumPostStatus,
    OrganisationType,
    ParticipantRole,
    PreparationMethod,
    ReportType,
    SolutionType,
    TransferLevel,
)
from .accessibility import AbstractAccessibilityStatementPage, AccessibilityStatementPage
from .activities import (
    AbstractActivityIndexPage,
    AbstractActivityPage,
    ActivityIndexPage,
    ActivityPage,
)
from .cluster_index import AbstractClusterIndexPage, ClusterIndexPage
from .clusters import AbstractClusterPage, ClusterPage, ClusterPageTag, ClusterParticipant
from .forum import (
    AbstractForumPage,
    ForumCounter,
    ForumPage,
    ForumPost,
    ForumReply,
    ForumUsedToken,
)
from .imports import ImportJob, ImportJobStatus
from .landing import AbstractAmplificationRoomPage, AmplificationRoomPage
from .map import AbstractCommunityMapPage, CommunityMapPage
from .mixins import BasePage, DocumentItem, LocationMixin
from .reports import AbstractClusterReportPage, ClusterReportAttachment, ClusterReportPage
from .settings import AmplificationRoomSettings
from .snippets import Organisation, SnippetBase, Solution, SolutionTag, ThematicProject
from .working_groups import AbstractWorkingGroupPage, WorkingGroupPage, WorkingGroupPolicyPaper

__all__ = [
    "AbstractAccessibilityStatementPage",
    "AccessibilityStatementPage",
    "ComplianceStatus",
    "PreparationMethod",
    "AbstractActivityIndexPage",
    "AbstractActivityPage",
    "AbstractAmplificationRoomPage",
    "AbstractClusterIndexPage",
    "AbstractClusterPage",
    "AbstractClusterReportPage",
    "AbstractCommunityMapPage",
    "AbstractForumPage",
    "AbstractWorkingGroupPage",
    "ActivityFormat",
    "ActivityIndexPage",
    "ActivityPage",
    "AmplificationRoomPage",
    "AmplificationRoomSettings",
    "BasePage",
    "ClusterCategory",
    "ClusterIndexPage",
    "ClusterOutcome",
    "ClusterPage",
    "ClusterPageTag",
    "ClusterParticipant",
    "ClusterReportAttachment",
    "ClusterReportPage",
    "ClusterStatus",
    "CommunityMapPage",
    "CommunityRole",
    "DocumentItem",
    "ForumPage",
    "ForumCounter",
    "ForumPost",
    "ForumReply",
    "ForumUsedToken",
    "ForumPostKind",
    "ForumPostStatus",
    "ImportJob",
    "ImportJobStatus",
    "LocationMixin",
    "Organisation",
    "OrganisationType",
    "ParticipantRole",
    "ReportType",
    "SnippetBase",
    "Solution",
    "SolutionTag",
    "SolutionType",
    "ThematicProject",
    "TransferLevel",
    "WorkingGroupPage",
    "WorkingGroupPolicyPaper",
]
