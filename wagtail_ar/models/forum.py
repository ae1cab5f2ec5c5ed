"""The forum: interested parties say who they are and what they need or offer.

A visitor fills in :class:`~wagtail_ar.forum.forms.ForumPostForm` on a :class:`ForumPage`; the post
is stored as a :class:`ForumPost` awaiting moderation, moderators are told by e-mail, and once
published it appears on the page's board. Posts are plain models (not pages, not translated),
moderated in the "Amplification Room" admin area (:mod:`wagtail_ar.forum.viewsets`).

The author's e-mail address is needed to forward replies; it is never rendered in public
HTML, feeds or JSON. The pieces that are not models (moderation mail, rate limit, honeypot and
fill-time checks, retention) live in the package :mod:`wagtail_ar.forum`.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from ..api import VisiblePageField, VisiblePagesField
from ..blocks import RICH_TEXT_FEATURES
from ..choices import CommunityRole, ForumPostKind, ForumPostStatus
from ..conf import settings as ar_settings
from ..forum.forms import (
    FORUM_DESCRIPTION_MAX_LENGTH,
    FORUM_NAME_MAX_LENGTH,
    FORUM_ORGANISATION_MAX_LENGTH,
    FORUM_REPLY_MAX_LENGTH,
    FORUM_TITLE_MAX_LENGTH,
)
from ..forum.limits import address_key, client_key, read_token
from ..forum.tasks import (
    enqueue_mail,
    notify_moderators_task,
    send_reply_confirmation_task,
    send_reply_task,
)
from ..listing import Listing
from ..visibility import visible
from .mixins import BasePage, ListingPageMixin, resolve_class

DAY = 24 * 60 * 60
REPLY_CODE_SALT = "wagtail_ar.forum.reply"  # noqa: S105 - a namespace, not a secret


def private_forum_response(response):
    """Mark a response holding a form (a CSRF token, a visitor's input) as never to be cached,
    by the browser or any shared cache: the token belongs to one visitor."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))
    return response


class AbstractForumPage(ListingPageMixin, RoutablePageMixin, BasePage):
    """The forum of an Amplification Room: a board of published needs and offers, and the
    forms to post one or to answer one.

    URLs below the page: the board at the page's own URL (filters ``kind``, ``theme``,
    ``country``, search ``q`` and ``page``, with the rules of the other listings: a value that
    cannot be understood answers 400 with a message); ``new/`` the form to post a need or an
    offer; ``<id>/`` one published post with the reply form; ``thanks/`` and
    ``<id>/replied/`` the confirmations. Override ``post_form_class``, ``reply_form_class``,
    ``filterset_class``, ``per_page`` or :meth:`posts` on a subclass.
    """

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Welcome interested parties: who may post, and how needs and offers lead to clusters."
        ),
    )
    form_intro = RichTextField(
        _("text above the form"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What to write in a need or an offer, and how moderation works."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Shown after a post is sent. Leave empty for a standard text saying that the post "
            "appears once a moderator has published it."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("form_intro"), FieldPanel("thank_you_text")],
            heading=_("Posting form"),
        ),
    ]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    # Dotted paths (or classes), imported when used: wagtail_ar.forum.filters imports the models.
    post_form_class = "wagtail_ar.forum.forms.ForumPostForm"
    reply_form_class = "wagtail_ar.forum.forms.ForumReplyForm"
    filterset_class = "wagtail_ar.forum.filters.ForumBoardFilterSet"
    listing_class = Listing
    per_page = 12

    class Meta:
        abstract = True

    def posts(self):
        """The published posts of this forum, newest first: all that visitors may see."""
        return (
            ForumPost.objects.filter(forum=self, status=ForumPostStatus.PUBLISHED)
            .select_related("answered_by")
            .prefetch_related("themes")
            .order_by("-published_at", "-pk")
        )

    def working_groups(self):
        """The working groups a post may be about: the live, public ones of the same
        Amplification Room (siblings of the forum), in the order of their numbers."""
        from .working_groups import WorkingGroupPage

        if not self.pk:
            return WorkingGroupPage.objects.none()
        return visible(WorkingGroupPage.objects.sibling_of(self, inclusive=False)).order_by(
            "number", "path"
        )

    def get_listing(self, request, per_page=None):
        return self.listing_class(
            request,
            self.posts(),
            self.get_filterset_class(),
            per_page=per_page or self.per_page,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = self.get_listing(request)
        context["listing"] = listing
        context["posts"] = [] if listing.errors else self.with_urls(listing.objects, request)
        context["post_url"] = self.reverse_subpage("new") if self.pk else ""
        return context

    def render_route(self, request, template, context, status=200):
        # The page's own context, without the board's listing: these routes show no board.
        base = BasePage.get_context(self, request)
        base.update(context)
        response = TemplateResponse(request, template, base, status=status)
        return private_forum_response(response)

    def admit(self, form, request, replier=None):
        """Whether a valid ``form`` may be acted on: its fill-time token has not been used
        before (it is spent now), and neither the client's rate limit nor, for a reply, the
        daily limit of confirmation mails to the ``replier``'s address is reached (a slot is
        taken now, in one statement, so two forms sent at once cannot both take the last
        one). When not, the form says why
        (:meth:`~wagtail_ar.forum.forms.ForumProtectionMixin.refuse`)."""
        token = read_token(form.data.get("started", ""))
        if token is None or not ForumUsedToken.use(token[1]):
            form.refuse("expired")
            return False
        limits = [
            (
                "client:" + client_key(request),
                ar_settings.FORUM_RATE_LIMIT,
                ar_settings.FORUM_RATE_WINDOW,
            )
        ]
        if replier is not None:
            limits.append(("replier:" + address_key(replier), ar_settings.FORUM_REPLY_LIMIT, DAY))
        for key, limit, window in limits:
            if limit and not ForumCounter.take(key, limit, window):
                form.refuse("rate_limited")
                return False
        return True

    @path("new/", name="new")
    def new_post(self, request):
        """The form to post a need or an offer; a valid post is saved as pending."""
        form_class = resolve_class(self.post_form_class)
        if request.method == "POST":
            form = form_class(request.POST, forum=self, request=request)
            if form.is_valid() and self.admit(form, request):
                post = form.save()
                enqueue_mail(notify_moderators_task, post.pk)
                return HttpResponseRedirect(self.get_url(request) + self.reverse_subpage("thanks"))
            status = 429 if getattr(form, "rate_limited", False) else 400
        else:
            form = form_class(forum=self, request=request)
            status = 200
        return self.render_route(
            request,
            "wagtail_ar/pages/forum_post_form.html",
            {"form": form, "board_url": self.get_url(request)},
            status=status,
        )

    @path("thanks/", name="thanks")
    def thanks(self, request):
        return self.render_route(
            request, "wagtail_ar/pages/forum_thanks.html", {"board_url": self.get_url(request)}
        )

    def get_published_post(self, post_id):
        post = self.posts().filter(pk=post_id).first()
        if post is None:
            raise Http404
        return post

    @path("<int:post_id>/", name="post")
    def post_detail(self, request, post_id):
        """One published post and the form to answer it. A valid answer is kept as a
        :class:`ForumReply` and a link to confirm it is e-mailed to the visitor's address; the
        author, whose address the visitor never sees, receives it once confirmed
        (:meth:`confirm_reply`), so the form cannot send mail in anybody else's name."""
        post = self.get_published_post(post_id)
        form_class = resolve_class(self.reply_form_class)
        status = 200
        if request.method == "POST":
            form = form_class(request.POST, request=request)
            if form.is_valid() and self.admit(form, request, replier=form.cleaned_data["email"]):
                reply = ForumReply.objects.create(
                    post=post,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                )
                enqueue_mail(
                    send_reply_confirmation_task, reply.pk, self.reply_confirmation_url(reply)
                )
                return HttpResponseRedirect(
                    self.get_url(request) + self.reverse_subpage("confirm", args=[post.pk])
                )
            status = 429 if getattr(form, "rate_limited", False) else 400
        else:
            form = form_class(request=request)
        return self.render_route(
            request,
            "wagtail_ar/pages/forum_post_page.html",
            {"post": post, "form": form, "board_url": self.get_url(request)},
            status=status,
        )

    @path("<int:post_id>/confirm/", name="confirm")
    def reply_sent_for_confirmation(self, request, post_id):
        """Shown after a valid answer: the link to confirm it was e-mailed to the visitor."""
        post = self.get_published_post(post_id)
        return self.render_route(
            request,
            "wagtail_ar/pages/forum_reply_confirm.html",
            {"post": post, "board_url": self.get_url(request), "state": "sent"},
        )

    def reply_confirmation_url(self, reply):
        """The absolute URL that confirms ``reply``: on the forum's own site (never the host a
        visitor's request named), with a code only the site can make (:meth:`ForumReply.code`).
        """
        return self.get_full_url() + self.reverse_subpage(
            "confirm_reply", args=[reply.post_id, reply.pk, reply.code()]
        )

    def get_pending_reply(self, post, reply_id, code):
        """The unexpired :class:`ForumReply` to ``post`` that ``code`` confirms, or ``None``
        (forged, expired or used already)."""
        since = timezone.now() - datetime.timedelta(seconds=ar_settings.FORUM_MAX_FILL_SECONDS)
        reply = ForumReply.objects.filter(pk=reply_id, post=post, created_at__gt=since).first()
        if reply is None or not constant_time_compare(reply.code(), code):
            return None
        return reply

    # Wagtail serves paths of letters, digits, "-" and "_" only: the code is hexadecimal.
    @path("<int:post_id>/confirm/<int:reply_id>/<str:code>/", name="confirm_reply")
    def confirm_reply(self, request, post_id, reply_id, code):
        """The link e-mailed to a visitor who answered: a button (a GET only shows it, as mail
        scanners open links) that sends the answer to the author, if the author's daily limit
        of answers is not reached. The link serves once: the stored answer is then deleted."""
        post = self.get_published_post(post_id)
        reply = self.get_pending_reply(post, reply_id, code)
        context = {"post": post, "board_url": self.get_url(request), "state": "confirm"}
        if reply is None:
            context["state"] = "invalid"
            return self.render_route(
                request, "wagtail_ar/pages/forum_reply_confirm.html", context, status=400
            )
        if request.method == "POST":
            limit = ar_settings.FORUM_REPLY_LIMIT
            if limit and not ForumCounter.take("author:" + address_key(post.email), limit, DAY):
                context["state"] = "rate_limited"
                return self.render_route(
                    request, "wagtail_ar/pages/forum_reply_confirm.html", context, status=429
                )
            # Deleted first: two clicks at once send one answer.
            if ForumReply.objects.filter(pk=reply.pk).delete()[0]:
                enqueue_mail(
                    send_reply_task,
                    post.pk,
                    reply.name,
                    reply.email,
                    reply.message,
                    self.full_post_url(post, request),
                )
            return HttpResponseRedirect(
                self.get_url(request) + self.reverse_subpage("replied", args=[post.pk])
            )
        return self.render_route(request, "wagtail_ar/pages/forum_reply_confirm.html", context)

    @path("<int:post_id>/replied/", name="replied")
    def replied(self, request, post_id):
        post = self.get_published_post(post_id)
        return self.render_route(
            request,
            "wagtail_ar/pages/forum_replied.html",
            {"post": post, "board_url": self.get_url(request)},
        )

    def with_urls(self, posts, request=None):
        """``posts`` as a list, each with ``public_url`` set (one URL lookup for all) and
        ``forum`` (this page, no query: a card reads the post's language from its forum)."""
        base = (self.get_url(request) or "") if self.pk else ""
        posts = list(posts)
        for post in posts:
            post.public_url = base + self.reverse_subpage("post", args=[post.pk])
            if post.forum_id == self.pk:
                post.forum = self
        return posts

    def post_url(self, post, request=None):
        """The public URL of one published post."""
        return (self.get_url(request) or "") + self.reverse_subpage("post", args=[post.pk])

    def full_post_url(self, post, request=None):
        """The absolute public URL of one published post, on the forum's own site (the root
        URL of its Site, never the request's ``Host``), for the mail to its author."""
        return (self.get_full_url(request) or "") + self.reverse_subpage("post", args=[post.pk])


class ForumPage(AbstractForumPage):
    template = "wagtail_ar/pages/forum_page.html"
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("forum page")
        verbose_name_plural = _("forum pages")


class ForumCounter(models.Model):
    """A rate limit's count: ``count`` submissions under ``key`` (a client, a post's author:
    hashes, never addresses) since ``window_start``. In the database, so that no flood of cached
    pages can evict it; :meth:`take` checks and counts in one statement."""

    key = models.CharField(max_length=80, primary_key=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.key

    @classmethod
    def take(cls, key, limit, window_seconds, now=None):
        """Take one of the ``limit`` slots of ``key`` in its window of ``window_seconds``;
        ``False`` when none is left. Each step is one atomic UPDATE or INSERT, so two requests
        at once cannot both take the last slot."""
        now = now or timezone.now()
        open_since = now - datetime.timedelta(seconds=window_seconds)
        rows = cls.objects.filter(key=key)
        for _attempt in range(2):
            if rows.filter(window_start__gt=open_since, count__lt=limit).update(
                count=F("count") + 1
            ):
                return True
            # A window that has ended starts again with this submission.
            if rows.filter(window_start__lte=open_since).update(window_start=now, count=1):
                return True
            if rows.exists():
                return False  # the window is open and full
            try:
                with transaction.atomic():
                    cls.objects.create(key=key, window_start=now, count=1)
                return True
            except IntegrityError:
                continue  # created by a request at the same time: count again
        return False


class ForumUsedToken(models.Model):
    """The nonce of a fill-time token that has been used: a token serves one post or reply.
    Rows older than ``WAGTAIL_AR_FORUM_MAX_FILL_SECONDS`` are of no use (their tokens have
    expired) and ``ar_forum_purge`` deletes them."""

    nonce = models.CharField(max_length=64, primary_key=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.nonce

    @classmethod
    def use(cls, nonce):
        """Spend ``nonce``; ``False`` if it was spent before."""
        try:
            with transaction.atomic():
                cls.objects.create(nonce=nonce[:64], used_at=timezone.now())
        except IntegrityError:
            return False
        return True


class ForumReply(models.Model):
    """A visitor's answer to a post, kept until the visitor confirms it through the link
    e-mailed to their address (then it is sent to the author and deleted), at most
    ``WAGTAIL_AR_FORUM_MAX_FILL_SECONDS``: ``ar_forum_purge`` deletes older ones."""

    post = models.ForeignKey(
        "wagtail_ar.ForumPost",
        verbose_name=_("forum post"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=FORUM_NAME_MAX_LENGTH)
    email = models.EmailField(_("e-mail address"))
    message = models.TextField(_("Your message"), max_length=FORUM_REPLY_MAX_LENGTH)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("answer awaiting confirmation")
        verbose_name_plural = _("answers awaiting confirmation")

    def __str__(self):
        return self.name

    def code(self):
        """The code of this answer's confirmation link: an HMAC (with ``SECRET_KEY``) of its
        key and time, so a link cannot be guessed or made for another answer."""
        value = f"{self.pk}:{self.post_id}:{int(self.created_at.timestamp())}"
        return salted_hmac(REPLY_CODE_SALT, value, algorithm="sha256").hexdigest()[:40]


class ForumPostQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(status=ForumPostStatus.PUBLISHED)


class ForumPost(index.Indexed, models.Model):
    """A need or an offer posted on the forum, with who posted it.

    Only ``published`` posts are shown, and never their ``email``. ``answered_by`` links the
    post to the cluster that answers it; the cluster factsheet lists the published needs it
    answers.
    """

    forum = models.ForeignKey(
        ForumPage,
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="forum_posts",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ForumPostStatus.choices,
        default=ForumPostStatus.PENDING,
        db_index=True,
    )
    kind = models.CharField(_("need or offer"), max_length=10, choices=ForumPostKind.choices)
    title = models.CharField(_("title"), max_length=FORUM_TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=FORUM_DESCRIPTION_MAX_LENGTH)
    themes = models.ManyToManyField(
        "wagtail_ar.WorkingGroupPage",
        verbose_name=_("working-group themes"),
        blank=True,
        # "+": posts are found from the forum, not from the working group.
        related_name="+",
    )

    name = models.CharField(_("name"), max_length=FORUM_NAME_MAX_LENGTH)
    organisation = models.CharField(_("organisation"), max_length=FORUM_ORGANISATION_MAX_LENGTH)
    country = CountryField(_("country"))
    community_role = models.CharField(
        _("community role"), max_length=20, choices=CommunityRole.choices
    )
    email = models.EmailField(
        _("e-mail address"),
        help_text=_("Never shown to visitors: replies are forwarded to it."),
    )
    consent_at = models.DateTimeField(
        _("consent to be contacted given at"),
        help_text=_("When the author agreed to be contacted about this post."),
    )

    answered_by = models.ForeignKey(
        "wagtail_ar.ClusterPage",
        verbose_name=_("answered by cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
        help_text=_("The cluster that answers this need or offer; its factsheet then lists it."),
    )

    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    archived_at = models.DateTimeField(
        _("archived at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Archived posts are deleted after the retention period."),
    )

    objects = ForumPostQuerySet.as_manager()

    panels = [
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("title"),
                FieldPanel("description"),
                FieldPanel("themes"),
            ],
            heading=_("The post"),
        ),
        FieldPanel("answered_by"),
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("organisation"),
                FieldPanel("country"),
                FieldPanel("community_role"),
                FieldPanel("email"),
                FieldPanel("consent_at", read_only=True),
            ],
            heading=_("Who posted it"),
        ),
    ]

    # Only what the board shows is searchable: never the e-mail address.
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("description"),
        index.SearchField("organisation"),
        index.FilterField("status"),
        index.FilterField("forum"),
    ]

    # What the board shows of a published post (wagtail_ar.endpoints.ForumPostsAPIViewSet):
    # never the e-mail address, the consent time or the moderation status.
    api_fields = [
        APIField("kind"),
        APIField("title"),
        APIField("description"),
        APIField("themes", serializer=VisiblePagesField()),
        APIField("name"),
        APIField("organisation"),
        APIField("country", serializer=serializers.CharField()),
        APIField("community_role"),
        APIField("answered_by", serializer=VisiblePageField()),
        APIField("published_at"),
    ]

    class Meta:
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Status changed in the edit form rather than through publish()/archive().
        if self.status == ForumPostStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status == ForumPostStatus.ARCHIVED and self.archived_at is None:
            self.archived_at = timezone.now()
        if self.status != ForumPostStatus.ARCHIVED:
            self.archived_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "published_at", "archived_at"}
        super().save(*args, **kwargs)

    def publish(self, at=None):
        self.status = ForumPostStatus.PUBLISHED
        self.published_at = self.published_at or at or timezone.now()
        self.archived_at = None
        self.save(update_fields=["status", "published_at", "archived_at"])

    def archive(self, at=None):
        self.status = ForumPostStatus.ARCHIVED
        self.archived_at = at or timezone.now()
        self.save(update_fields=["status", "archived_at"])
