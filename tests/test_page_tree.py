"""Where each page type may be created (Wagtail's WagtailPageTestCase helpers)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from wagtail_ar.models import (
    AccessibilityStatementPage,
    ActivityIndexPage,
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterReportPage,
    CommunityMapPage,
    ForumPage,
    WorkingGroupPage,
)

AR_CHILDREN = {
    WorkingGroupPage,
    ClusterIndexPage,
    ActivityIndexPage,
    CommunityMapPage,
    ForumPage,
    AccessibilityStatementPage,
}


class PageTreeTests(WagtailPageTestCase):
    def test_amplification_room_page_can_go_under_any_page(self):
        self.assertCanCreateAt(Page, AmplificationRoomPage)
        self.assertCanCreateAt(AmplificationRoomPage, WorkingGroupPage)

    def test_children_of_the_amplification_room(self):
        self.assertAllowedSubpageTypes(AmplificationRoomPage, AR_CHILDREN)
        for model in AR_CHILDREN - {AccessibilityStatementPage}:
            self.assertAllowedParentPageTypes(model, {AmplificationRoomPage})

    def test_clusters_reports_and_activities(self):
        self.assertAllowedSubpageTypes(ClusterIndexPage, {ClusterPage})
        self.assertAllowedSubpageTypes(ClusterPage, {ClusterReportPage})
        self.assertAllowedParentPageTypes(ClusterReportPage, {ClusterPage})
        self.assertAllowedSubpageTypes(ActivityIndexPage, {ActivityPage})
        self.assertAllowedParentPageTypes(ActivityPage, {ActivityIndexPage})

    def test_leaves_have_no_children(self):
        for model in (WorkingGroupPage, ClusterReportPage, ActivityPage, CommunityMapPage):
            self.assertAllowedSubpageTypes(model, set())

    def test_cluster_pages_only_under_a_cluster_index(self):
        self.assertCanNotCreateAt(AmplificationRoomPage, ClusterPage)
        self.assertCanNotCreateAt(Page, ClusterPage)
        self.assertCanNotCreateAt(ClusterIndexPage, ActivityPage)

    def test_one_activity_index_and_one_map_per_amplification_room(self):
        assert ActivityIndexPage.max_count_per_parent == 1
        assert CommunityMapPage.max_count_per_parent == 1
        assert ClusterIndexPage.max_count_per_parent is None  # one or more cluster indexes
