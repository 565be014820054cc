"""Health, readiness and the error page for a database that does not answer.

None of these render with template context processors or touch the database unless checking
it is their job: they must answer while the rest of the site cannot.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.defaultfilters import pluralize
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds, for a database outage


def is_database_outage(error: BaseException | None) -> bool:
    """The database refused, dropped or timed out the connection (directly or as the cause
    of another error); not a bug such as an integrity or programming error."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def maintenance(request: HttpRequest | None = None) -> HttpResponse:
    """503 with Retry-After and the plain maintenance page, rendered without the database."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the maintenance page (503) while the database does not answer, Django's
    plain 500 page for anything else. (With DEBUG on, Django shows its own error page.)"""
    if is_database_outage(sys.exc_info()[1]):
        return maintenance(request)
    return defaults.server_error(request)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise NotReady(f"{len(plan)} migration{pluralize(len(plan))} not applied")
    return "ok"


def check_cache() -> str:
    key, token = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, 10)
    if cache.get(key) != token:
        raise NotReady("the cache did not return what was written")
    cache.delete(key)
    if getattr(cache, "redis_is_down", False):
        return "ok (Redis unreachable: using the database cache)"
    return "ok"


class NotReady(Exception):
    pass


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 only when the database answers, every migration is applied and the
    cache answers; 503 otherwise. One line per check; errors are logged, not shown."""
    lines, ready = [], True
    for name, check in [
        ("database", check_database),
        ("migrations", check_migrations),
        ("cache", check_cache),
    ]:
        if name == "migrations" and not ready:
            lines.append("migrations: not checked")
            continue
        try:
            lines.append(f"{name}: {check()}")
        except NotReady as reason:
            ready = False
            lines.append(f"{name}: failing ({reason})")
        except Exception as error:
            ready = False
            logger.warning("Readiness check %s failed: %r", name, error)
            lines.append(f"{name}: failing ({type(error).__name__})")
    response = HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain", status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER)
    return response
