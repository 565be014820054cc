from functools import wraps

from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.db import transaction
from django.urls import include, path

from careers.sitemaps import SITEMAPS
from careers.views import healthz
from config.seo import favicon, robots_txt
from config.views import readyz

admin.site.site_header = "Waypoint admin"
admin.site.site_title = "Waypoint admin"
# Staff sign in where members do (allauth's form, with its rate limits and the security log);
# the admin's own password form is never shown. A signed-in member who is not staff gets 403.
admin.site.login = secure_admin_login(admin.site.login)

# A database that does not answer gets the maintenance page (503), anything else the 500 page.
handler500 = "config.views.server_error"


def atomic_on_post(view):
    """The view, its POSTs in one transaction: what they write and the mail they queue (see
    settings.EMAIL_BACKEND) are kept together or not at all. GETs take no write lock."""
    atomic_view = transaction.atomic(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return (atomic_view if request.method == "POST" else view)(request, *args, **kwargs)

    return wrapper


# allauth's views that write and mail in one request: sign-up (the account and its
# verification or "you already have an account" mail), adding or changing an address, and
# password reset. Same paths and names as allauth's, matched first.
account_mail_views = [
    path("accounts/signup/", atomic_on_post(account_views.signup), name="account_signup"),
    path("accounts/email/", atomic_on_post(account_views.email), name="account_email"),
    path(
        "accounts/password/reset/",
        atomic_on_post(account_views.password_reset),
        name="account_reset_password",
    ),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    *account_mail_views,
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("roadmaps.urls")),
    path("", include("careers.urls")),
]
