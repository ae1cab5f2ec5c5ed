"""Admin forms with the rules that need more than one field or more than one object, and the
forum's visitor forms.

Nothing here imports the models, so the models can name these classes as ``base_form_class``.
"""

import re
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class WorkingGroupPageForm(WagtailAdminPageForm):
    """Refuses a working group number already used by a sibling working group."""

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("number")
        parent = self.parent_page
        if number is None or parent is None:
            return cleaned_data
        siblings = type(self.instance).objects.child_of(parent).filter(number=number)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        clash = siblings.first()
        if clash:
            self.add_error(
                "number",
                _("WG%(number)s is already “%(title)s”. Choose another number.")
                % {"number": number, "title": clash.title},
            )
        return cleaned_data


class ClusterPageForm(WagtailAdminPageForm):
    """Refuses an organisation listed twice among the participants, or as lead and participant."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("participants")
        if formset is None or not formset.is_bound:
            return cleaned_data
        # The page form is cleaned before its formsets; clean them now to compare their rows.
        formset.is_valid()
        seen = {}
        lead = cleaned_data.get("lead_partner")
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            # Django's own unique check may have removed "organisation" from cleaned_data;
            # the instance still holds it.
            organisation = form.cleaned_data.get("organisation") or getattr(
                form.instance, "organisation", None
            )
            if organisation is None:
                continue
            if organisation.pk in seen:
                form.add_error(
                    "organisation",
                    _(
                        "%(organisation)s is already a participant of this cluster: list each organisation once."
                    )
                    % {"organisation": organisation},
                )
            elif lead is not None and organisation.pk == lead.pk:
                form.add_error(
                    "organisation",
                    _(
                        "%(organisation)s is the lead partner already: it need not be listed as a participant too."
                    )
                    % {"organisation": organisation},
                )
            seen[organisation.pk] = form
        return cleaned_data


class ActivityPageForm(WagtailAdminPageForm):
    """Start and end are typed and shown in the activity's own time zone.

    An editor in Brussels entering a Málaga event at 10:00 means 10:00 in Málaga; the stored
    value is the matching moment in UTC.
    """

    datetime_fields = ("start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tz = self._zone(getattr(self.instance, "time_zone", None))
        if tz is None or self.is_bound:
            return
        for name in self.datetime_fields:
            value = getattr(self.instance, name, None)
            if name in self.fields and value is not None and timezone.is_aware(value):
                # A naive initial value is shown as it is, in the activity's zone.
                self.initial[name] = timezone.localtime(value, tz).replace(tzinfo=None)

    @staticmethod
    def _zone(name):
        try:
            return zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def clean(self):
        cleaned_data = super().clean()
        tz = self._zone(cleaned_data.get("time_zone"))
        if tz is not None:
            current = timezone.get_current_timezone()
            for name in self.datetime_fields:
                value = cleaned_data.get(name)
                if value is not None:
                    naive = (
                        timezone.make_naive(value, current) if timezone.is_aware(value) else value
                    )
                    cleaned_data[name] = naive.replace(tzinfo=tz)
        return cleaned_data


# The forum -------------------------------------------------------------------------------------
# Visitors' forms, not admin forms. They import the models only when built (the models name
# these classes by dotted path), so this module stays importable from the models.

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


class ForumProtectionMixin(forms.Form):
    """Checks shared by the forum's forms, with no outside service:

    * ``website`` is a honeypot: hidden from people (and from screen readers), filled in by
      robots; a form that has it is refused;
    * ``started`` holds a signed timestamp of when the form was shown; a form sent sooner than
      ``WAGTAIL_AR_FORUM_MIN_FILL_SECONDS`` after (or with a missing, altered or expired token)
      is refused;
    * a client that has already sent ``WAGTAIL_AR_FORUM_RATE_LIMIT`` posts or replies in the
      window is refused, and ``rate_limited`` is set (the view answers 429).
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
        """The fill-time token to render: the submitted one if it is readable (time already
        spent counts), a fresh one otherwise."""
        from .forum import fill_token, seconds_since

        submitted = self.data.get("started") if self.is_bound else None
        if submitted and seconds_since(submitted) is not None:
            return submitted
        return fill_token()

    def clean(self):
        from .conf import settings as ar_settings
        from .forum import is_rate_limited, seconds_since

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
            raise forms.ValidationError(
                _("This form has expired. Check what you wrote and send it again."),
                code="expired",
            )
        if elapsed < ar_settings.FORUM_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _(
                    "This form was sent too quickly to have been filled in by a person. Wait a "
                    "few seconds and send it again."
                ),
                code="too_fast",
            )
        if self.request is not None and is_rate_limited(self.request):
            self.rate_limited = True
            raise forms.ValidationError(
                _(
                    "You have sent several messages in a short time. Please try again in an hour, "
                    "or write to the site's team."
                ),
                code="rate_limited",
            )
        return cleaned_data


class WorkingGroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}: {obj.theme}"


class ForumPostForm(ForumProtectionMixin):
    """A need or an offer, and who posts it: saved by :meth:`save` as a post awaiting
    moderation on ``forum`` (a :class:`~wagtail_ar.models.ForumPage`)."""

    kind = forms.ChoiceField(label=_("I post"), widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"),
        max_length=FORUM_TITLE_MAX_LENGTH,
        help_text=_("In a few words, what you need or offer."),
    )
    description = forms.CharField(
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
    name = forms.CharField(label=_("Your name"), max_length=FORUM_NAME_MAX_LENGTH)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=FORUM_ORGANISATION_MAX_LENGTH
    )
    country = forms.ChoiceField(label=_("Country"))
    community_role = forms.ChoiceField(
        label=_("Role in the community"),
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
        from django_countries import countries

        from .choices import CommunityRole
        from .models.forum import ForumPostKind

        super().__init__(*args, **kwargs)
        self.forum = forum
        self.fields["kind"].choices = ForumPostKind.choices
        self.fields["community_role"].choices = [("", "---------"), *CommunityRole.choices]
        self.fields["country"].choices = [("", "---------"), *countries]
        self.fields["themes"].queryset = forum.working_groups()
        self.fields["description"].help_text = _(
            "The need or the offer, its place and its timing: plain text, %(max)s characters "
            "at most."
        ) % {"max": FORUM_DESCRIPTION_MAX_LENGTH}

    def clean_title(self):
        refuse_html(self.cleaned_data["title"])
        return self.cleaned_data["title"]

    def clean_description(self):
        refuse_html(self.cleaned_data["description"])
        return self.cleaned_data["description"]

    def clean_name(self):
        refuse_html(self.cleaned_data["name"])
        return self.cleaned_data["name"]

    def clean_organisation(self):
        refuse_html(self.cleaned_data["organisation"])
        return self.cleaned_data["organisation"]

    def save(self):
        """The new post, awaiting moderation."""
        from .models.forum import ForumPost, ForumPostStatus

        data = self.cleaned_data
        post = ForumPost.objects.create(
            forum=self.forum,
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
    :func:`wagtail_ar.forum.send_reply`)."""

    name = forms.CharField(label=_("Your name"), max_length=FORUM_NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The author receives your message with this address, to answer you."),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=FORUM_REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = ["name", "email", "message", "website", "started"]

    def clean_name(self):
        refuse_html(self.cleaned_data["name"])
        return self.cleaned_data["name"]

    def clean_message(self):
        refuse_html(self.cleaned_data["message"])
        return self.cleaned_data["message"]
