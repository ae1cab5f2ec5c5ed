"""The vocabulary of the Amplification Room, as the mission's own texts use it.

The stored values are an interface (filters, URLs, exports and other sites' code use them);
the labels are what editors and visitors read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityRole(models.TextChoices):
    PP = "pp", _("M4N partner (PP)")
    C4N = "c4n", _("C4N")
    D4N = "d4n", _("D4N")
    TP_PARTNER = "tp_partner", _("TP partner")
    AP = "ap", _("AP")
    TP_AP = "tp_ap", _("TP's AP")
    EXTERNAL = "external", _("External partner")


# "Each cluster will be followed up and led by a M4N partner (PP and TP consortia)."
LEAD_PARTNER_ROLES = (CommunityRole.PP, CommunityRole.TP_PARTNER)


class OrganisationType(models.TextChoices):
    PUBLIC_AUTHORITY = "public_authority", _("Public authority")
    PROTECTED_AREA = "protected_area", _("Protected area management body")
    RESEARCH = "research", _("University or research centre")
    NGO = "ngo", _("NGO or civil society organisation")
    BUSINESS = "business", _("Business or SME")
    SECTORAL_AGENCY = "sectoral_agency", _("Sectoral agency")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class ClusterCategory(models.TextChoices):
    GEOGRAPHICAL = "geographical", _("Geographical cluster")
    THEMATIC = "thematic", _("Thematic cluster")
    PEER_REVIEW = "peer_review", _("Peer-review cluster")


class ClusterStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class ClusterOutcome(models.TextChoices):
    TRANSFERENCE = "transference", _("Transference")
    ADOPTION = "adoption", _("Adoption")
    NETWORKING = "networking", _("Networking")
    SPECIFIC_PROBLEM = "specific_problem", _("Answering a specific problem")
    PEER_REVIEW = "peer_review", _("Peer review of community results")
    POLICY_INPUT = "policy_input", _("Input to WG policy statements")


class TransferLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class ActivityFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class ReportType(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")
    SUCCESS_STORY = "success_story", _("Success story")
    PEER_REVIEW = "peer_review", _("Peer-review report")
    POLICY_INPUT = "policy_input", _("Policy input")


class SolutionType(models.TextChoices):
    TOOL = "tool", _("Tool")
    METHODOLOGY = "methodology", _("Methodology")
    GUIDELINES = "guidelines", _("Guidelines")
    PILOT_ACTION = "pilot_action", _("Pilot action")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    POLICY_RECOMMENDATION = "policy_recommendation", _("Policy recommendation")
    STRATEGY = "strategy", _("Strategy or action plan")
    TRAINING = "training", _("Training or capacity building")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    """The part an organisation plays in one cluster."""

    PP = "pp", _("M4N partner (PP)")
    C4N = "c4n", _("C4N")
    D4N = "d4n", _("D4N")
    TP_PARTNER = "tp_partner", _("TP partner")
    AP = "ap", _("AP")
    TP_AP = "tp_ap", _("TP's AP")
    EXTERNAL = "external", _("External partner")
    EXPERT = "expert", _("Expert (advice panel)")


# The forum's posts.
class ForumPostKind(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class ForumPostStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The accessibility statement (EU model, Implementing Decision (EU) 2018/1523).
class ComplianceStatus(models.TextChoices):
    FULLY = "fully", _("fully compliant")
    PARTIALLY = "partially", _("partially compliant")
    NOT = "not", _("not compliant")


class PreparationMethod(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("self-assessment done by the public sector body")
    THIRD_PARTY = "third_party", _("assessment carried out by a third party")
