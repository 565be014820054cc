import datetime
import zoneinfo

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone

# A member's login address counts as verified when it is their verified primary address.
# The one rule: the unverified banner, reminders and anything else that asks use it.
VERIFIED_LOGIN = {"primary": True, "verified": True}


def has_verified_login(user_path: str = "") -> Exists:
    """An `Exists` for querysets: the user at `user_path` ("" for users, "user" for rows
    pointing at one) has a verified login address."""
    from allauth.account.models import EmailAddress

    prefix = f"{user_path}__" if user_path else ""
    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef(f"{prefix}pk"),
            email__iexact=OuterRef(f"{prefix}email"),
            **VERIFIED_LOGIN,
        )
    )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        """Staff made at the command line (`createsuperuser`): whoever runs it owns the
        address, so it is their verified primary address at once (no "verify your email"
        banner, reminders allowed), as a member's is after following the link."""
        from allauth.account.models import EmailAddress

        extra["is_staff"] = True
        extra["is_superuser"] = True
        with transaction.atomic(using=self._db):
            user = self._create_user(email, password, **extra)
            EmailAddress.objects.using(self._db).create(
                user=user, email=user.email, **VERIFIED_LOGIN
            )
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Weekday(models.IntegerChoices):
    """ISO weekday minus one, as `date.weekday()` counts: Monday is 0."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class User(AbstractUser):
    """A Waypoint member. The email address is the login; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        help_text="An IANA time zone name such as Europe/London; dates are shown in it.",
    )
    checkin_weekday = models.PositiveSmallIntegerField(
        "check-in day",
        default=Weekday.MONDAY,
        choices=Weekday.choices,
        help_text="The day of the week your weekly check-in falls due.",
    )
    reminders_enabled = models.BooleanField(
        "email reminders",
        default=True,
        help_text="Email me when a weekly check-in is due.",
    )
    # The path finder's answers ("Which AI role fits me?"), as the form's query parameters:
    # copied from the session on sign-up or sign-in, editable on the path finder page.
    pathfinder_answers = models.JSONField("path finder answers", default=dict, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The member's time zone; UTC if the stored name is not a zone this machine knows."""
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            return zoneinfo.ZoneInfo("UTC")

    def local_today(self, now: datetime.datetime | None = None) -> datetime.date:
        """Today's date where the member is (at `now`, by default the current instant).

        The one definition of "today for this member": pages, reminders and the calendar feed
        all ask here.
        """
        return (now or django_timezone.now()).astimezone(self.zone).date()

    @property
    def has_verified_email(self) -> bool:
        """Whether the member's login address is their verified primary address (allauth).

        One query, remembered on the instance; `set_verified_email_cache()` primes it, for
        example from an annotation when many members are handled at once.
        """
        if not hasattr(self, "_has_verified_email"):
            from allauth.account.models import EmailAddress

            self._has_verified_email = (
                self.pk is not None
                and EmailAddress.objects.filter(
                    user_id=self.pk, email__iexact=self.email, **VERIFIED_LOGIN
                ).exists()
            )
        return self._has_verified_email

    def set_verified_email_cache(self, value: bool) -> None:
        self._has_verified_email = bool(value)

    def save_pathfinder_answers(self, answers: dict) -> None:
        """Keep the path finder's answers (its query parameters) on the profile."""
        if answers and answers != self.pathfinder_answers:
            self.pathfinder_answers = answers
            self.save(update_fields=["pathfinder_answers"])
