"""The accessibility statement page: the EU model statement's sections, from its fields."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from wagtail_ar.models import AccessibilityStatementPage, AmplificationRoomPage

from .utils import site_root

pytestmark = pytest.mark.django_db

MODEL_HEADINGS = [
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
    "Feedback and contact information",
    "Enforcement procedure",
]


@pytest.fixture
def ar():
    return site_root().add_child(
        instance=AmplificationRoomPage(title="The Amplification Room", slug="amplification-room")
    )


def statement(parent, **fields):
    values = {
        "title": "Accessibility statement",
        "slug": "accessibility-statement",
        "public_body": "Community4Nature",
        "scope": "the Amplification Room website",
        "compliance_status": "partially",
        "non_compliance": "<p>The map cannot be used with a screen reader alone.</p>",
        "preparation_date": datetime.date(2026, 1, 15),
        "last_review_date": datetime.date(2026, 6, 30),
        "feedback": "<p>Write to us.</p>",
        "contact_email": "a11y@example.org",
        "enforcement_procedure": "<p>Turn to the national monitoring body.</p>",
    } | fields
    page = parent.add_child(instance=AccessibilityStatementPage(**values))
    page.save_revision().publish()
    return page


def headings(html, level):
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    ]


def test_a_partially_compliant_statement_has_the_model_sections(client, ar):
    page = statement(ar, outside_scope="<p>PDF files of 2017.</p>")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert headings(html, 1) == ["Accessibility statement"]
    assert headings(html, 2) == MODEL_HEADINGS
    # The non-accessible content under the model's reasons (a) and (c); (b) is empty.
    assert headings(html, 3) == [
        "Non-compliance with Directive (EU) 2016/2102 of the European Parliament and of the Council",
        "The content is not within the scope of the applicable legislation",
    ]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert (
        "Community4Nature is committed to making its website accessible, in accordance with "
        "Directive (EU) 2016/2102" in text
    )
    assert "This accessibility statement applies to the Amplification Room website." in text
    assert (
        "This website is partially compliant with EN 301 549 V3.2.1 (WCAG 2.1 level AA) due to "
        "the non-compliances and/or the exemptions listed below." in text
    )
    assert "This statement was prepared on Jan. 15, 2026." in text
    assert "self-assessment done by the public sector body" in text
    assert "The statement was last reviewed on June 30, 2026." in text
    assert 'href="mailto:a11y@example.org"' in html


def test_a_fully_compliant_statement_lists_no_content(client, ar):
    page = statement(ar, compliance_status="fully", non_compliance="", last_review_date=None)
    html = client.get(page.url).content.decode()
    assert "Non-accessible content" not in headings(html, 2)
    assert "This website is fully compliant with EN 301 549" in html
    assert "last reviewed" not in html


def test_a_third_party_assessment_names_the_assessor(client, ar):
    page = statement(ar, preparation_method="third_party", assessor="Access Lab Ltd")
    html = client.get(page.url).content.decode()
    assert "an assessment carried out by a third party: Access Lab Ltd." in html


def test_one_statement_per_amplification_room(ar):
    assert AccessibilityStatementPage.can_create_at(ar)
    statement(ar)
    assert not AccessibilityStatementPage.can_create_at(ar)
    # Under the site's root page too, where the site has no Amplification Room page as root.
    assert AccessibilityStatementPage.can_create_at(site_root())


def test_the_required_parts_of_the_model_are_required(ar):
    page = AccessibilityStatementPage(title="Accessibility statement", slug="a11y")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {
        "public_body",
        "scope",
        "compliance_status",
        "preparation_date",
        "feedback",
        "enforcement_procedure",
    } <= set(error.value.message_dict)
