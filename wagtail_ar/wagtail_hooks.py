from wagtail.snippets.models import register_snippet

from .viewsets import AmplificationRoomViewSetGroup

register_snippet(AmplificationRoomViewSetGroup)
