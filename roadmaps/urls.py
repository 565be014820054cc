from django.urls import path, register_converter

from roadmaps import views


class FeedTokenConverter:
    """A calendar feed token as `calendar.new_token()` makes them (URL-safe base64, 43
    characters): anything else, a NUL byte say, is a 404 before it reaches a query."""

    regex = "[A-Za-z0-9_-]{20,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedTokenConverter, "feedtoken")

app_name = "roadmaps"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("transitions/<slug:slug>/start/", views.start_plan, name="start"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/settings/", views.plan_settings, name="settings"),
    path("plans/<int:plan_id>/status/", views.set_plan_status, name="status"),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/state/",
        views.set_item_state,
        name="item_state",
    ),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/note/",
        views.edit_item_note,
        name="item_note",
    ),
    path("plans/<int:plan_id>/checkins/", views.checkin, name="checkin"),
    path("plans/<int:plan_id>/checkins/history/", views.checkin_history, name="checkin_history"),
    path("plans/<int:plan_id>/checkins/<str:week>/", views.checkin, name="checkin_week"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("staff/insights/", views.insights, name="insights"),
    path("calendar/<feedtoken:token>.ics", views.calendar_feed, name="calendar_feed"),
]
