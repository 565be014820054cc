from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete_account, name="delete"),
]
