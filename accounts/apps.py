from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(using="default", **kwargs) -> None:
    """`migrate` also creates the database cache table, which allauth's rate limits live in
    (a no-op when it exists or when the cache is Redis)."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(create_cache_tables, sender=self)
        from django.db.models.signals import post_delete

        from accounts.privacy import forget_member

        post_delete.connect(forget_member, sender=self.get_model("User"))
        # The path finder's answers join the profile on sign-up and sign-in.
        from allauth.account.signals import user_logged_in, user_signed_up

        from accounts.signals import keep_pathfinder_answers

        user_logged_in.connect(keep_pathfinder_answers, dispatch_uid="pathfinder-login")
        user_signed_up.connect(keep_pathfinder_answers, dispatch_uid="pathfinder-signup")
        # The security log's receiver for failed sign-ins.
        import config.security_log  # noqa: F401
