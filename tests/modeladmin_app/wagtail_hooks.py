from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from wagtail_ar.contrib.modeladmin.options import (
    ClusterPageAdmin,
    OrganisationAdmin,
    SolutionAdmin,
    ThematicProjectAdmin,
)


@modeladmin_register
class MissionAdminGroup(ModelAdminGroup):
    menu_label = "Mission"
    menu_icon = "globe"
    items = (ClusterPageAdmin, OrganisationAdmin, ThematicProjectAdmin, SolutionAdmin)
