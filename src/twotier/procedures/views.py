"""Public catalogue pages (no login): browse with filters and search, and the procedure page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .forms import CatalogueFilterForm
from .models import Procedure, ProcedureVersion

PAGE_SIZE = 20

LIST_COLUMNS = [
    "code",
    "name",
    "field",
    "at_commune",
    "at_province",
    "at_ministry",
    "at_other",
    "sensitive_category",
    "suspect_copy",
    "online_available",
    "current_version__time_value",
    "current_version__time_unit",
    "current_version__time_text",
    "current_version__cutoff_15h",
    "current_version__fee_amount_vnd",
    "current_version__fee_status",
    "current_version__fee_text",
    "current_version__fee_by_province",
]


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters()
    procedures = Procedure.objects.filtered(**filters).select_related("current_version").only(*LIST_COLUMNS)
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filters": filters}
    if request.htmx and request.htmx.target == "results":
        return render(request, "procedures/_results.html", context)
    return render(request, "procedures/list.html", context)


def detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.select_related("current_version"), code=code)
    versions = list(
        procedure.versions.order_by("-number").only(
            "id", "procedure_id", "number", "created_at", "changed_fields"
        )
    )
    version = procedure.current_version
    requested = request.GET.get("version")
    if requested:
        try:
            version = procedure.versions.get(number=int(requested))
        except (ValueError, ProcedureVersion.DoesNotExist) as exc:
            raise Http404 from exc
    if version is None:
        raise Http404
    context = {
        "procedure": procedure,
        "version": version,
        "versions": versions,
        "is_current": version.pk == procedure.current_version_id,
        "time": version.time_limit,
        "fee": version.fee,
    }
    return render(request, "procedures/detail.html", context)
