from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .roles import ROLE_LABELS
from .scoping import scope_of


def home(request):
    return render(request, "core/home.html")


@login_required
def dashboard(request):
    scope = scope_of(request.user)
    roles = [ROLE_LABELS.get(g.name, g.name) for g in request.user.groups.all()]
    return render(request, "core/dashboard.html", {"scope": scope, "roles": roles})


def health(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": database, "engine": connection.vendor})
