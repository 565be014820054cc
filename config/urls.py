from django.contrib import admin
from django.urls import include, path

from careers.views import healthz

admin.site.site_header = "Waypoint admin"
admin.site.site_title = "Waypoint admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("roadmaps.urls")),
    path("", include("careers.urls")),
]
