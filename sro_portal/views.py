"""Project-wide views: the health check, the benchmark's floors, the error pages."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def hello(request):
    """The floor of the benchmark: every middleware runs, no view work, no query."""
    return HttpResponse("hello\n", content_type="text/plain")


@login_required
def hello_signed_in(request):
    """The benchmark's floor of a signed-in page: the session, the person, the base
    layout and its navigation, and no content of its own."""
    return render(request, "hello_signed_in.html")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
