"""``manage.py ar_create_editors_group``: the "Amplification Room editors" permission group."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from ...models import AmplificationRoomPage, Organisation, Solution, ThematicProject

GROUP_NAME = "Amplification Room editors"
#: Page permissions granted on every Amplification Room page, for it and the pages below it.
#: A page is deleted by whoever may edit and publish it (Wagtail's rule); "bulk_delete"
#: (deleting a page together with its subpages), "lock" and "unlock" are not granted.
PAGE_ACTIONS = ("add", "change", "publish")
#: Model permissions granted on each snippet ("publish" exists because they have drafts).
SNIPPET_ACTIONS = ("add", "change", "delete", "publish")
SNIPPET_MODELS = (Organisation, ThematicProject, Solution)
#: With ``--with-media``: on the root collection, so that editors can attach documents
#: (factsheets, reports, policy papers) and images (logos).
MEDIA_PERMISSIONS = (
    ("wagtaildocs", "document", ("add", "choose")),
    ("wagtailimages", "image", ("add", "choose")),
)


def sync_object_permissions(model, object_field, group, wanted):
    """Make ``group``'s rows of ``model`` (GroupPagePermission, GroupCollectionPermission) be
    ``wanted``, a set of ``(object id, permission id)``: rows not wanted are deleted, missing
    ones created, the others left alone (so running the command again changes nothing)."""
    stored = {
        (object_id, permission_id): row
        for row, object_id, permission_id in model.objects.filter(group=group).values_list(
            "pk", object_field, "permission_id"
        )
    }
    model.objects.filter(pk__in=[row for key, row in stored.items() if key not in wanted]).delete()
    model.objects.bulk_create(
        model(group=group, **{object_field: object_id}, permission_id=permission_id)
        for object_id, permission_id in sorted(wanted - set(stored))
    )


def model_permission(model, action):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    codename = f"{action}_{model._meta.model_name}"
    try:
        return Permission.objects.get(content_type=content_type, codename=codename)
    except Permission.DoesNotExist:
        raise CommandError(
            _("The permission %(codename)s does not exist yet: run “manage.py migrate” first.")
            % {"codename": codename}
        ) from None


class Command(BaseCommand):
    help = (
        f"Create or update the “{GROUP_NAME}” group: access to the Wagtail admin; add, edit, "
        "publish and delete the pages of every Amplification Room page (and the room page "
        "itself); add, edit, publish and delete organisations, thematic projects and solutions. "
        "Nothing else: no users, no settings, no pages elsewhere. Run it again after adding an "
        "Amplification Room page; it removes whatever else the group was given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-media",
            action="store_true",
            help=(
                "Also let the group add and choose documents and images in every collection, "
                "to attach factsheets, reports and logos."
            ),
        )

    @transaction.atomic
    def handle(self, *args, with_media=False, **options):
        group, created = Group.objects.get_or_create(name=GROUP_NAME)

        permissions = [
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        ]
        permissions += [
            model_permission(model, action)
            for model in SNIPPET_MODELS
            for action in SNIPPET_ACTIONS
        ]
        group.permissions.set(permissions)

        rooms = list(AmplificationRoomPage.objects.order_by("path"))
        page_permissions = {
            (room.pk, model_permission(Page, action).pk)
            for room in rooms
            for action in PAGE_ACTIONS
        }
        sync_object_permissions(GroupPagePermission, "page_id", group, page_permissions)

        media = set()
        if with_media:
            root = Collection.get_first_root_node()
            for app_label, model_name, actions in MEDIA_PERMISSIONS:
                for action in actions:
                    permission = Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model_name}"
                    )
                    media.add((root.pk, permission.pk))
        sync_object_permissions(GroupCollectionPermission, "collection_id", group, media)

        self.stdout.write(
            _("%(action)s the group “%(group)s”.")
            % {"action": _("Created") if created else _("Updated"), "group": GROUP_NAME}
        )
        if rooms:
            self.stdout.write(
                _("It may edit the pages of: %(rooms)s.")
                % {"rooms": ", ".join(f"“{room.title}”" for room in rooms)}
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "There is no Amplification Room page yet, so the group may edit no "
                        "pages, only the organisations, thematic projects and solutions. Add "
                        "an Amplification Room page, then run this command again."
                    )
                )
            )
