"""Pages: the public map (provinces, communes) and the staff address converter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from twotier.core.errors import DomainError

from . import services
from .forms import ResolveForm, UploadForm
from .models import Commune, ConversionJob, Province
from .querysets import predecessors_of, provinces_with_counts


def provinces(request: HttpRequest) -> HttpResponse:
    rows = list(provinces_with_counts())
    totals = {k: sum(getattr(p, k) for p in rows) for k in ("n", "phuong", "xa", "dac_khu")}
    return render(request, "geography/provinces.html", {"provinces": rows, "totals": totals})


def province(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_object_or_404(Province, code=code)
    query = request.GET.get("q", "").strip()
    communes = Commune.objects.filter(province=obj).search(query).order_by("name")
    page = Paginator(communes, 200).get_page(request.GET.get("page"))
    context = {"province": obj, "page": page, "query": query, "total": obj.communes.count()}
    if request.htmx:
        return render(request, "geography/_communes.html", context)
    return render(request, "geography/province.html", context)


def commune(request: HttpRequest, code: str) -> HttpResponse:
    obj = Commune.objects.select_related("province").by_code(code).first()
    if obj is None:
        raise Http404
    return render(request, "geography/commune.html", {"commune": obj, "predecessors": predecessors_of(obj)})


@login_required
@permission_required("geography.view_conversionjob", raise_exception=True)
def resolve(request: HttpRequest) -> HttpResponse:
    jobs = ConversionJob.objects.visible_to(request.user).select_related("created_by")[:20]
    return render(
        request,
        "geography/resolve.html",
        {"form": ResolveForm(), "upload_form": UploadForm(), "jobs": jobs, "results": None},
    )


@login_required
@permission_required("geography.view_conversionjob", raise_exception=True)
@require_POST
def resolve_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: the pasted addresses → a table of results (nothing is stored)."""
    form = ResolveForm(request.POST)
    results = services.resolve_addresses(form.cleaned_data["addresses"]) if form.is_valid() else []
    if request.htmx:
        return render(request, "geography/_results.html", {"form": form, "results": results})
    jobs = ConversionJob.objects.visible_to(request.user).select_related("created_by")[:20]
    context = {"form": form, "upload_form": UploadForm(), "jobs": jobs, "results": results}
    return render(request, "geography/resolve.html", context)


@login_required
@permission_required("geography.add_conversionjob", raise_exception=True)
@require_POST
def job_create(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.create_conversion_job(
                actor=request.user, upload=form.cleaned_data["file"], column=form.cleaned_data["column"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã chuyển đổi %(rows)s dòng của tệp %(name)s.")
                % {"rows": job.rows, "name": job.input_name},
            )
            return redirect("geography:resolve")
    jobs = ConversionJob.objects.visible_to(request.user).select_related("created_by")[:20]
    return render(
        request,
        "geography/resolve.html",
        {"form": ResolveForm(), "upload_form": form, "jobs": jobs},
        status=400,
    )


@login_required
@permission_required("geography.view_conversionjob", raise_exception=True)
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The converted CSV; 404 for a job outside the user's scope (its existence is not revealed)."""
    job = get_object_or_404(ConversionJob.objects.visible_to(request.user), pk=pk)
    if not job.output_file:
        raise Http404
    return FileResponse(
        job.output_file.open("rb"), as_attachment=True, filename=job.output_name, content_type="text/csv"
    )
