"""The example site's accessibility statement, after the EU model statement (invented content)."""

import datetime

STATEMENT = {
    "slug": "accessibility-statement",
    "title": "Accessibility statement",
    "public_body": "The Community4Nature project of the Natural Heritage Mission",
    "scope": "the Amplification Room of the Natural Heritage Mission website",
    "compliance_status": "partially",
    "standard": "EN 301 549 V3.2.1 (WCAG 2.1 level AA)",
    "non_compliance": (
        "<p>Some maps of organisations cannot be explored with a screen reader alone "
        "(WCAG 1.1.1). Every map has a list of the same organisations beside it, with the same "
        "filters.</p>"
    ),
    "outside_scope": (
        "<p>Reports in PDF published by partners before 23 September 2018 may not be "
        "accessible. Ask us for an accessible version.</p>"
    ),
    "preparation_date": datetime.date(2026, 1, 15),
    "preparation_method": "self_assessment",
    "last_review_date": datetime.date(2026, 6, 30),
    "feedback": (
        "<p>Tell us about any content that you cannot use, or ask for content that is not "
        "accessible in another format: we answer within 15 working days.</p>"
    ),
    "contact_email": "accessibility@example.org",
    "enforcement_procedure": (
        "<p>If our answer does not satisfy you, you may turn to the body of your Member State "
        "that monitors the accessibility of public-sector websites (example content: a real "
        "statement names it and links to its complaint procedure).</p>"
    ),
}
