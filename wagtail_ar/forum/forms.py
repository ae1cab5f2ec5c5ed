"""The forum's visitor forms (not admin forms): a need or an offer, and a reply to one.

Imports no model, not even inside a function (``[tool.importlinter]`` in pyproject.toml):
:mod:`wagtail_ar.models.forum` imports the length limits from here, and names the forms by dotted path (``post_form_class``, ``reply_form_class``).
What visitors type is plain text: :class:`PlainTextField` refuses HTML through its validators.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..choices import CommunityRole, ForumPostKind, ForumPostStatus
from ..conf import settings as ar_settings
from ..listing import parse_int
from .limits import fill_token, read_token, seconds_since

# Length limits of what a visitor types: the form and the database columns agree on them.
FORUM_TITLE_MAX_LENGTH = 120
FORUM_DESCRIPTION_MAX_LENGTH = 2000
FORUM_NAME_MAX_LENGTH = 120
FORUM_ORGANISATION_MAX_LENGTH = 200
FORUM_REPLY_MAX_LENGTH = 2000

# Something that a browser would read as an HTML tag, comment or entity-free markup: "<b",
# "</p", "<!--", "<script". A lone "<" ("a < b", "<3") is fine.
HTML_TAG = re.compile(r"<\s*[/!?]?\s*[a-zA-Z!]")


def refuse_html(value):
    """Visitors write plain text: refuse anything that looks like HTML."""
    if value and HTML_TAG.search(value):
        raise forms.ValidationError(
            _("Write plain text: HTML tags such as <script> or <a> are not accepted here."),
            code="html",
        )


class PlainTextField(forms.CharField):
    """A text a visitor types: plain text only (:func:`refuse_html`), besides ``max_length``."""

    default_validators = [refuse_html]


REFUSALS = {
    "expired": _("This form has expired. Check what you wrote and send it again."),
    "rate_limited": _(
        "You have sent several messages in a short time. Please try again in an hour, "
        "or write to the site's team."
    ),
}


class ForumProtectionMixin(forms.Form):
    """Checks shared by the forum's forms, with no outside service:

    * ``website`` is a honeypot: hidden from people (and from screen readers), filled in by
      robots; a form that has it is refused;
    * ``started`` holds a signed timestamp of when the form was shown; a form sent sooner than
      ``WAGTAIL_AR_FORUM_MIN_FILL_SECONDS`` after (or with a missing, altered or expired token)
      is refused;
    * once the form is valid, the page spends its token (once only) and a slot of the rate
      limits, and calls :meth:`refuse` when it cannot (``rate_limited`` is then set and the
      view answers 429).
    """

    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    honeypot_field = "website"

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.rate_limited = False
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def started_token(self):
        """The fill-time token to render: with the submitted one's time if it is readable (time
        already spent counts), now otherwise."""
        read = read_token(self.data.get("started", "")) if self.is_bound else None
        # The time it was shown, with a new nonce: the submitted token may have been spent.
        return fill_token(at=read[0] if read is not None else None)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get(self.honeypot_field):
            raise forms.ValidationError(
                _(
                    "This form could not be sent. If you are a person, leave the field “Leave "
                    "this field empty” empty and send it again."
                ),
                code="honeypot",
            )
        elapsed = seconds_since(self.data.get("started", ""))
        if elapsed is None or elapsed > ar_settings.FORUM_MAX_FILL_SECONDS or elapsed < 0:
            raise forms.ValidationError(REFUSALS["expired"], code="expired")
        if elapsed < ar_settings.FORUM_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _(
                    "This form was sent too quickly to have been filled in by a person. Wait a "
                    "few seconds and send it again."
                ),
                code="too_fast",
            )
        return cleaned_data

    def refuse(self, code):
        """Mark the valid form refused after all (the page checks the single-use token and the
        rate limits once the form is valid, see :meth:`ForumPage.admit`): ``"expired"`` for a
        token used already, ``"rate_limited"`` (the view answers 429) for a limit reached."""
        self.rate_limited = code == "rate_limited"
        self.add_error(None, forms.ValidationError(REFUSALS[code], code=code))


class WorkingGroupChoiceField(forms.ModelMultipleChoiceField):
    """Working groups shown as ``WG1: theme``; the queryset is set by the form."""

    def label_from_instance(self, obj):
        return f"{obj.code}: {obj.theme}"

    def _check_values(self, value):
        # Django's own check queries each key: one of more digits than an integer column holds
        # overflows SQLite (a 500, found by tests/test_fuzz.py). Keys are ASCII digits here.
        for pk in value:
            if parse_int(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


class ForumPostForm(ForumProtectionMixin):
    """A need or an offer, and who posts it: saved by :meth:`save` as a post awaiting
    moderation on ``forum`` (a :class:`~wagtail_ar.models.ForumPage`)."""

    kind = forms.ChoiceField(
        label=_("I post"), choices=ForumPostKind.choices, widget=forms.RadioSelect
    )
    title = PlainTextField(
        label=_("Title"),
        max_length=FORUM_TITLE_MAX_LENGTH,
        help_text=_("In a few words, what you need or offer."),
    )
    description = PlainTextField(
        label=_("Description"),
        max_length=FORUM_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        # The help text names the limit; it is set in __init__, when translations are ready.
    )
    themes = WorkingGroupChoiceField(
        label=_("Working-group themes that interest you"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    name = PlainTextField(label=_("Your name"), max_length=FORUM_NAME_MAX_LENGTH)
    organisation = PlainTextField(label=_("Organisation"), max_length=FORUM_ORGANISATION_MAX_LENGTH)
    country = forms.ChoiceField(label=_("Country"))
    community_role = forms.ChoiceField(
        label=_("Role in the community"),
        choices=[("", "---------"), *CommunityRole.choices],
        help_text=_("Not part of the mission yet? Choose “External partner”."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "Never shown on the site: moderators may write to you, and answers to your post "
            "are forwarded to this address."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to be contacted about this post, and that my name, organisation, country "
            "and role are shown with it once it is published."
        ),
        error_messages={
            "required": _("Tick this box to post: without it nobody could answer you.")
        },
    )

    # The order of the form: who, then what; the honeypot last.
    field_order = [
        "name",
        "organisation",
        "country",
        "community_role",
        "email",
        "themes",
        "kind",
        "title",
        "description",
        "consent",
        "website",
        "started",
    ]

    def __init__(self, *args, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.forum = forum
        # The country names follow the active language: listed when the form is built.
        self.fields["country"].choices = [("", "---------"), *countries]
        self.fields["themes"].queryset = forum.working_groups()
        self.fields["description"].help_text = _(
            "The need or the offer, its place and its timing: plain text, %(max)s characters "
            "at most."
        ) % {"max": FORUM_DESCRIPTION_MAX_LENGTH}

    def save(self):
        """The new post, awaiting moderation."""
        # Through the forum's reverse relation: this module imports no model (see the docstring).
        data = self.cleaned_data
        post = self.forum.forum_posts.create(
            status=ForumPostStatus.PENDING,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            name=data["name"],
            organisation=data["organisation"],
            country=data["country"],
            community_role=data["community_role"],
            email=data["email"],
            consent_at=timezone.now(),
        )
        post.themes.set(data["themes"])
        return post


class ForumReplyForm(ForumProtectionMixin):
    """An answer to a published post, e-mailed to its author (see
    :func:`wagtail_ar.forum.mail.send_reply`)."""

    name = PlainTextField(label=_("Your name"), max_length=FORUM_NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The author receives your message with this address, to answer you."),
    )
    message = PlainTextField(
        label=_("Your message"),
        max_length=FORUM_REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = ["name", "email", "message", "website", "started"]
