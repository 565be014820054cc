from django.urls import path

from careers import views

app_name = "careers"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.role_list, name="roles"),
    path("roles/<slug:slug>/", views.role_detail, name="role"),
    path("from/<slug:slug>/", views.background_detail, name="background"),
    path("transitions/", views.transition_list, name="transitions"),
    path("transitions/<slug:slug>/", views.transition_detail, name="transition"),
    path("path-finder/", views.pathfinder_view, name="pathfinder"),
    path("glossary/", views.glossary, name="glossary"),
]
