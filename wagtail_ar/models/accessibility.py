"""The accessibility statement of a mission website, after the EU model statement.

Public-sector websites in the EU publish one (Directive (EU) 2016/2102, Article 7), in the form
of the model accessibility statement of Commission Implementing Decision (EU) 2018/1523. The
page's fields follow the model's sections, and its help texts quote it; the template
(``wagtail_ar/pages/accessibility_statement_page.html``) renders the model's headings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES
from ..choices import ComplianceStatus, PreparationMethod
from .mixins import BasePage


class AbstractAccessibilityStatementPage(BasePage):
    """An accessibility statement following the EU model (Implementing Decision (EU) 2018/1523).

    A site may subclass it to add its own sections (override the template's
    ``wagtail_ar_statement_*`` blocks) or to change the defaults of ``legislation`` and
    ``standard`` to its Member State's.
    """

    public_body = models.CharField(
        _("name of the public sector body"),
        max_length=255,
        help_text=_(
            "The model: “[Name of the public sector body] is committed to making its website "
            "accessible, in accordance with [national legislation]…”."
        ),
    )
    legislation = models.CharField(
        _("legislation"),
        max_length=255,
        default=_("Directive (EU) 2016/2102 of the European Parliament and of the Council"),
        help_text=_(
            "The model: “[national legislation transposing Directive (EU) 2016/2102 of the "
            "European Parliament and of the Council]”."
        ),
    )
    scope = models.CharField(
        _("scope of the statement"),
        max_length=255,
        help_text=_(
            "The model: “This accessibility statement applies to [insert scope of statement, "
            "e.g. website(s)/mobile application(s) to which the statement applies, as "
            "appropriate]”."
        ),
    )
    compliance_status = models.CharField(
        _("compliance status"),
        max_length=16,
        choices=ComplianceStatus.choices,
        help_text=_(
            "The model's options: (a) fully compliant, when all requirements of the standard are "
            "met without exception; (b) partially compliant, when most are; (c) not compliant, "
            "when most are not. For (b) and (c) list the content below."
        ),
    )
    standard = models.CharField(
        _("standard"),
        max_length=255,
        default="EN 301 549 V3.2.1 (WCAG 2.1 level AA)",
        help_text=_(
            "The model: “[insert reference to the specification(s) or other normative "
            "document(s) applied, e.g. harmonised standard EN 301 549]”."
        ),
    )
    non_compliance = RichTextField(
        _("non-compliance with the legislation"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "The model: “(a) non-compliance with the [national legislation]: list the "
            "non-compliance(s) of the website, and/or describe which section(s)/content/"
            "function(s) are not yet compliant”. Where appropriate, indicate accessible "
            "alternatives."
        ),
    )
    disproportionate_burden = RichTextField(
        _("disproportionate burden"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "The model: “(b) disproportionate burden: list the non-accessible section(s)/"
            "content/function(s) for which the disproportionate burden exemption is being "
            "temporarily invoked”. Where appropriate, indicate accessible alternatives."
        ),
    )
    outside_scope = RichTextField(
        _("content outside the scope of the legislation"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "The model: “(c) the content is not within the scope of the applicable "
            "legislation: list the non-accessible section(s)/content/function(s) which are out "
            "of scope”, for example office files published before 23 September 2018, "
            "pre-recorded media published before 23 September 2020, third-party content."
        ),
    )
    preparation_date = models.DateField(
        _("date of preparation"),
        help_text=_("The model: “This statement was prepared on [insert date]”."),
    )
    preparation_method = models.CharField(
        _("method of preparation"),
        max_length=32,
        choices=PreparationMethod.choices,
        default=PreparationMethod.SELF_ASSESSMENT,
        help_text=_(
            "The model: “The method used to prepare the statement was [self-assessment done by "
            "the public sector body] [assessment carried out by a third party, e.g. a "
            "certification body]”."
        ),
    )
    assessor = models.CharField(
        _("third party"),
        max_length=255,
        blank=True,
        help_text=_("Who carried out the assessment, when it was a third party."),
    )
    last_review_date = models.DateField(
        _("date of the last review"),
        null=True,
        blank=True,
        help_text=_("The model: “The statement was last reviewed on [insert date]”."),
    )
    feedback = RichTextField(
        _("feedback and contact information"),
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "The model: “Provide a description of, and a link to, the feedback mechanism to be "
            "used to notify the public sector body of any compliance failures and to request "
            "information and content excluded from the scope of the Directive” and “the contact "
            "information of the relevant entity(ies)/unit(s)/person(s) responsible for "
            "accessibility and for processing requests”."
        ),
    )
    contact_email = models.EmailField(
        _("contact e-mail address"),
        blank=True,
        help_text=_("Shown under “Feedback and contact information”."),
    )
    enforcement_procedure = RichTextField(
        _("enforcement procedure"),
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "The model: “Provide a description of, and a link to, the enforcement procedure to "
            "be used in the event of an unsatisfactory response to the notification or request” "
            "and “the contact information of the relevant enforcement body(ies)”."
        ),
    )
    optional_content = RichTextField(
        _("optional content"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "The model's optional sections: an explanation of the commitment to accessibility, "
            "the formal approval of the statement, the results of user testing, browser "
            "compatibility…"
        ),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("public_body"), FieldPanel("legislation"), FieldPanel("scope")],
            heading=_("Introduction"),
        ),
        MultiFieldPanel(
            [FieldPanel("compliance_status"), FieldPanel("standard")],
            heading=_("Compliance status"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("non_compliance"),
                FieldPanel("disproportionate_burden"),
                FieldPanel("outside_scope"),
            ],
            heading=_("Non-accessible content"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("preparation_date"),
                FieldPanel("preparation_method"),
                FieldPanel("assessor"),
                FieldPanel("last_review_date"),
            ],
            heading=_("Preparation of this accessibility statement"),
        ),
        FieldPanel("feedback"),
        FieldPanel("contact_email"),
        FieldPanel("enforcement_procedure"),
        FieldPanel("optional_content"),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("non_compliance"),
        index.SearchField("disproportionate_burden"),
        index.SearchField("outside_scope"),
    ]

    api_fields = [
        APIField("public_body"),
        APIField("scope"),
        APIField("compliance_status"),
        APIField("standard"),
        APIField("preparation_date"),
        APIField("last_review_date"),
    ]

    # One statement per section of a site; it may sit under the site's root page too.
    max_count_per_parent = 1
    subpage_types = []

    class Meta:
        abstract = True

    @property
    def has_non_accessible_content(self):
        return any((self.non_compliance, self.disproportionate_burden, self.outside_scope))


class AccessibilityStatementPage(AbstractAccessibilityStatementPage):
    template = "wagtail_ar/pages/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
