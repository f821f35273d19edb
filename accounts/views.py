"""Login, the start page of each role, and the health check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import start as start_pages
from accounts.roles import primary_role


@login_required
def start(request):
    """Each role lands on its own start page, with its own navigation."""
    role = primary_role(request.user)
    if role is None:
        raise PermissionDenied("no role")
    # The role's own part, then what the apps registered for the role (accounts.start): accounts names no app.
    return render(request, "accounts/start.html", {"role": role, "sections": start_pages.sections_for(role)})


@never_cache
@require_GET
def health(request):
    """Liveness and database check for load balancers and monitoring; no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
