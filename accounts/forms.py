from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "display_name")
