"""Staff pages (work queues, receipt, dossier page, HTMX actions) and the citizens' pages (status
lookup, rating, complaint, online submission). Views scope, validate, call a service, render."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from twotier.core.audit import log_access
from twotier.core.errors import Conflict, DomainError

from . import public, services
from .addresses import AddressNeedsChoice
from .deadlines import VN_TZ
from .display import deadline_view
from .forms import ApologyForm, ComplaintForm, LookupForm, MoveForm, RatingForm, ReceiptForm, SubmissionForm
from .models import Dossier, FeedbackChannel
from .states import DossierStatus

PAGE_SIZE = 50
QUEUES = {
    "mine": gettext_lazy("Của tôi"),
    "unit": gettext_lazy("Của đơn vị"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
    "supplement": gettext_lazy("Chờ bổ sung"),
    "apology": gettext_lazy("Cần xin lỗi, hẹn lại"),
    "counter": gettext_lazy("Chờ tiếp nhận / trả kết quả"),
    "all": gettext_lazy("Tất cả"),
}
PERSONAL = "dossiers.Dossier.applicant"


def _profile(user):
    return getattr(user, "staff_profile", None)


def queue_queryset(user, queue: str):
    qs = Dossier.objects.visible_to(user)
    profile = _profile(user)
    commune = getattr(profile, "commune_code", "")
    if queue == "mine":
        return qs.assigned_to(user).open()
    if queue == "unit":
        unit_code = getattr(profile, "unit_code", "")
        if unit_code and not unit_code.endswith("-pasc"):
            return qs.open().filter(competent_unit__code=unit_code)
        if commune:
            return qs.open().filter(competent_commune_code=commune)
        return qs.open().filter(competent_commune_code="")
    if queue == "due_soon":
        return qs.due_soon()
    if queue == "overdue":
        return qs.overdue()
    if queue == "supplement":
        return qs.awaiting_supplement()
    if queue == "apology":
        return qs.needing_apology() | qs.overdue_without_apology()
    if queue == "counter":
        condition = Q(status__in=[DossierStatus.SUBMITTED, DossierStatus.COMPLETED])
        if commune:
            condition &= Q(receiving_commune_code=commune)
        return qs.filter(condition)
    return qs


def _filtered(request: HttpRequest, qs):
    status = request.GET.get("status", "")
    if status.isdigit():
        qs = qs.filter(status=int(status))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(receipt_code__icontains=q) | Q(procedure__code=q) | Q(applicant_name__icontains=q))
    procedure = request.GET.get("procedure", "").strip()
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    return qs


@login_required
@permission_required("dossiers.view_dossier", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    name = request.GET.get(
        "queue", "mine" if request.user.has_perm("dossiers.process_dossier") else "counter"
    )
    if name not in QUEUES:
        name = "all"
    qs = _filtered(request, queue_queryset(request.user, name)).for_list().order_by("due_at", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(d, deadline_view(d, now), quick_moves(request.user, d)) for d in page.object_list]
    log_access(request, PERSONAL, [d.pk for d, _, _ in rows])
    context = {
        "queues": QUEUES,
        "queue": name,
        "page": page,
        "rows": rows,
        "statuses": DossierStatus.choices,
        "query": request.GET,
    }
    template = (
        "dossiers/_queue_table.html"
        if request.htmx and request.htmx.target == "queue-table"
        else "dossiers/queue.html"
    )
    return render(request, template, context)


QUICK = {"receive_online", None}  # moves that carry no data: one click from the list


def quick_moves(user, dossier: Dossier) -> list[tuple[int, object]]:
    return [
        (target, step) for target, step in services.allowed_targets(user, dossier) if step.wrapper in QUICK
    ]


def _dossier_for(request: HttpRequest, code: str) -> Dossier:
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "procedure", "procedure_version", "receiving_unit", "competent_unit", "assignee", "received_by"
        ),
        receipt_code=code,
    )


def _detail_context(request: HttpRequest, dossier: Dossier, error: str = "") -> dict:
    return {
        "dossier": dossier,
        "deadline": deadline_view(dossier),
        "moves": services.allowed_targets(request.user, dossier),
        "can_apologise": dossier.is_open
        and dossier.due_at is not None
        and request.user.has_perm("dossiers.process_dossier")
        and services.sides_of(request.user, dossier)[1],
        "error": error,
        "events": dossier.events.select_related("actor").order_by("at", "pk"),
        "documents": dossier.documents.all(),
        "supplements": dossier.supplement_requests.all(),
        "letters": dossier.apology_letters.all(),
        "payments": dossier.payments.all(),
    }


@login_required
@permission_required("dossiers.view_dossier", raise_exception=True)
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    log_access(request, PERSONAL, [dossier.pk])
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


def _actions_response(
    request: HttpRequest, dossier: Dossier, *, error: str = "", status: int = 200
) -> HttpResponse:
    if request.htmx and request.POST.get("fragment") == "row":
        context = {
            "d": dossier,
            "deadline": deadline_view(dossier),
            "quick": quick_moves(request.user, dossier),
        }
        return render(request, "dossiers/_queue_row.html", {**context, "error": error}, status=status)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(dossier.get_absolute_url())
    return render(request, "dossiers/_panel.html", _detail_context(request, dossier, error), status=status)


@login_required
@require_POST
def move(request: HttpRequest, code: str) -> HttpResponse:
    """One action button: the target status and the version the officer saw, plus its data."""
    dossier = _dossier_for(request, code)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _actions_response(request, dossier, error=_("Dữ liệu không hợp lệ."), status=400)
    data = form.cleaned_data
    try:
        dossier = perform_move(dossier, data, actor=request.user)
    except Conflict as exc:
        dossier.refresh_from_db()
        return _actions_response(request, dossier, error=str(exc), status=409)
    except PermissionDenied as exc:
        return _actions_response(request, dossier, error=str(exc) or _("Không có quyền."), status=403)
    except DomainError as exc:
        return _actions_response(request, dossier, error=str(exc), status=400)
    return _actions_response(request, dossier)


def perform_move(dossier: Dossier, data: dict, *, actor) -> Dossier:
    """Dispatch a move to the service that carries its data (shared by the page and the API)."""
    from .states import move_for

    target = int(data["target"])
    version = int(data["version"])
    step = move_for(dossier.status, target)
    wrapper = step.wrapper if step is not None else None
    reason = (data.get("reason") or data.get("note") or "").strip()
    if wrapper == "receive_online":
        return services.receive_online(dossier, actor=actor, seen_version=version)
    if wrapper == "refuse_receipt":
        return services.refuse_receipt(
            dossier, actor=actor, seen_version=version, reasons=reason.splitlines()
        )
    if wrapper == "request_supplement":
        return services.request_supplement(
            dossier,
            actor=actor,
            seen_version=version,
            items=(data.get("items") or "").splitlines(),
            reason=reason,
            override_reason=data.get("override_reason") or "",
        )
    if wrapper == "complete_supplement":
        return services.complete_supplement(dossier, actor=actor, seen_version=version)
    if wrapper == "request_payment":
        return services.request_payment(
            dossier, actor=actor, seen_version=version, amount_vnd=data.get("amount_vnd") or 0, note=reason
        )
    if wrapper == "record_payment":
        return services.record_payment(
            dossier,
            actor=actor,
            seen_version=version,
            amount_vnd=data.get("amount_vnd")
            if data.get("amount_vnd") is not None
            else (dossier.fee_vnd or 0),
            method=data.get("method") or "counter",
        )
    if wrapper == "stop_processing":
        return services.stop_processing(dossier, actor=actor, seen_version=version, reason=reason)
    if wrapper == "withdraw":
        return services.withdraw(dossier, actor=actor, seen_version=version, reason=reason)
    return services.move_dossier(
        dossier, target, actor=actor, seen_version=version, note=data.get("note") or ""
    )


@login_required
@require_POST
def apology(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    form = ApologyForm(request.POST)
    if not form.is_valid():
        return _actions_response(
            request, dossier, error=_("Nhập lý do và ngày hẹn lại (dd/mm/yyyy)."), status=400
        )
    new_due = datetime.combine(form.cleaned_data["new_due_date"], time(17, 0), tzinfo=VN_TZ)
    try:
        services.issue_apology(
            dossier,
            actor=request.user,
            seen_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            new_due_at=new_due,
        )
    except Conflict as exc:
        dossier.refresh_from_db()
        return _actions_response(request, dossier, error=str(exc), status=409)
    except PermissionDenied:
        return _actions_response(request, dossier, error=_("Không có quyền."), status=403)
    except DomainError as exc:
        return _actions_response(request, dossier, error=str(exc), status=400)
    dossier.refresh_from_db()
    return _actions_response(request, dossier)


@login_required
@require_POST
def take(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    try:
        services.assign_dossier(
            dossier,
            actor=request.user,
            seen_version=int(request.POST.get("version", 0)),
            assignee=request.user,
        )
    except Conflict as exc:
        dossier.refresh_from_db()
        return _actions_response(request, dossier, error=str(exc), status=409)
    except (PermissionDenied, DomainError) as exc:
        return _actions_response(request, dossier, error=str(exc) or _("Không có quyền."), status=403)
    return _actions_response(request, dossier)


# ---- receipt at the counter ----------------------------------------------------------------------


def _receipt_input(form, documents, files=None):
    from .services import ApplicantInput, DocumentInput, ReceiptInput

    data = form.cleaned_data
    docs = []
    for index, (name, registry, reference) in enumerate(documents):
        upload = files.get(f"doc_file_{index}") if files is not None else None
        docs.append(
            DocumentInput(
                name,
                is_scanned=upload is not None or bool(data.get("is_digitised")),
                reused_from_registry=registry,
                registry_reference=reference,
                file=upload,
            )
        )
    return ReceiptInput(
        procedure_code=data["procedure"].strip(),
        applicant=ApplicantInput(
            name=data["applicant_name"],
            id_number=data.get("id_number") or "",
            birth_date=data.get("birth_date"),
            phone=data.get("phone") or "",
            email=data.get("email") or "",
        ),
        address=data["address"],
        commune_code=data.get("commune_code") or "",
        level=data.get("level") or "",
        documents=docs,
        is_digitised=bool(data.get("is_digitised", True)),
    )


def _checked_documents(request: HttpRequest) -> list[tuple[str, str, str]]:
    """The ticked checklist rows: (name, registry or '', registry reference)."""
    names = request.POST.getlist("doc")
    rows = []
    for index, name in enumerate(request.POST.getlist("doc_name")):
        if str(index) in names:
            rows.append(
                (
                    name,
                    request.POST.get(f"doc_registry_{index}", ""),
                    request.POST.get(f"doc_ref_{index}", ""),
                )
            )
    extra = request.POST.get("doc_other", "").strip()
    if extra:
        rows.append((extra, "", ""))
    return rows


@login_required
@permission_required("dossiers.receive_dossier", raise_exception=True)
def receive(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None, initial={"is_digitised": True})
    candidates: list[dict] = []
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.receive_dossier(
                _receipt_input(form, _checked_documents(request), request.FILES), actor=request.user
            )
        except AddressNeedsChoice as exc:
            candidates = exc.candidates
            form.add_error("commune_code", str(exc))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            log_access(request, PERSONAL, [dossier.pk], action="change")
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.receipt_code})
            return redirect(dossier.get_absolute_url())
    return render(request, "dossiers/receive.html", {"form": form, "candidates": candidates})


@login_required
@require_GET
def checklist(request: HttpRequest) -> HttpResponse:
    """HTMX: the documents checklist and levels of the chosen procedure (from the catalogue)."""
    from twotier.procedures.models import Procedure

    code = request.GET.get("procedure", "").strip()
    procedure = Procedure.objects.receivable().select_related("current_version").filter(code=code).first()
    return render(request, "dossiers/_checklist.html", {"procedure": procedure, "code": code})


@login_required
@require_GET
def address_help(request: HttpRequest) -> HttpResponse:
    """HTMX: how the address resolves, with the successor communes to pick from when it is split."""
    from twotier.geography.services import get_resolver

    text = request.GET.get("address", "").strip()
    resolution = get_resolver().resolve(text) if text else None
    return render(request, "dossiers/_address.html", {"resolution": resolution})


@login_required
@permission_required("dossiers.receive_dossier", raise_exception=True)
@require_GET
def citizen_prefill(request: HttpRequest) -> HttpResponse:
    """HTMX: identity and residence from the population registry (once-only), logged per query."""
    from twotier.registries import services as registries

    number = request.GET.get("id_number", "").strip()
    procedure = request.GET.get("procedure", "").strip()
    result = None
    error = ""
    if number:
        try:
            result = registries.lookup_citizen(number, officer=request.user, procedure_code=procedure)
        except DomainError as exc:
            error = str(exc)
    return render(request, "dossiers/_prefill.html", {"citizen": result, "error": error, "number": number})


# ---- papers ------------------------------------------------------------------------------------


@login_required
@permission_required("dossiers.view_dossier", raise_exception=True)
@require_GET
def paper(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    from . import papers

    dossier = _dossier_for(request, code)
    try:
        content = papers.render(dossier, kind, base_url=request.build_absolute_uri("/"))
    except KeyError:
        return HttpResponse(status=404)
    log_access(request, PERSONAL, [dossier.pk], action="export")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.receipt_code}-{kind}.pdf"'
    return response


# ---- citizens ----------------------------------------------------------------------------------


def status_page(request: HttpRequest) -> HttpResponse:
    """Public status lookup: receipt code + last 4 digits of the phone or ID number. Rate-limited."""
    form = LookupForm(request.GET or None)
    found = None
    error = ""
    if request.GET and form.is_valid():
        try:
            found = public.lookup(request, form.cleaned_data["code"], form.cleaned_data["secret"])
        except public.TooManyAttempts as exc:
            return render(request, "dossiers/status.html", {"form": form, "error": str(exc)}, status=429)
        if found is None:
            error = _("Không tìm thấy hồ sơ với mã và 4 chữ số đã nhập.")
    context = {"form": form, "found": found, "error": error}
    if found is not None:
        context["rating_form"] = RatingForm(
            initial={"code": found.receipt_code, "secret": form.cleaned_data["secret"]}
        )
        context["complaint_form"] = ComplaintForm(
            initial={"code": found.receipt_code, "secret": form.cleaned_data["secret"]}
        )
    return render(request, "dossiers/status.html", context)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render(
            request, "dossiers/_feedback.html", {"error": _("Chọn mức hài lòng từ 1 đến 5.")}, status=400
        )
    return _feedback(request, form, kind="rating")


@require_POST
def complain(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        return render(
            request, "dossiers/_feedback.html", {"error": _("Chưa nhập nội dung phản ánh.")}, status=400
        )
    return _feedback(request, form, kind="complaint")


def _feedback(request: HttpRequest, form, *, kind: str) -> HttpResponse:
    data = form.cleaned_data
    try:
        dossier = public.lookup(request, data["code"], data["secret"])
    except public.TooManyAttempts as exc:
        return render(request, "dossiers/_feedback.html", {"error": str(exc)}, status=429)
    if dossier is None:
        return render(request, "dossiers/_feedback.html", {"error": _("Không tìm thấy hồ sơ.")}, status=404)
    channel = data.get("channel") or FeedbackChannel.WEB
    try:
        if kind == "rating":
            services.rate_service(
                dossier, score=data["score"], comment=data.get("comment", ""), channel=channel
            )
            message = _("Cảm ơn ông/bà đã đánh giá.")
        else:
            services.file_complaint(dossier, text=data["text"], channel=channel)
            message = _("Đã nhận phản ánh của ông/bà.")
    except DomainError as exc:
        return render(request, "dossiers/_feedback.html", {"error": str(exc)}, status=409)
    return render(request, "dossiers/_feedback.html", {"message": message})


def submit(request: HttpRequest) -> HttpResponse:
    """Online submission by a citizen (status 1) with document uploads."""
    form = SubmissionForm(request.POST or None, request.FILES or None)
    candidates: list[dict] = []
    if request.method == "POST" and form.is_valid():
        uploads = request.FILES.getlist("files")
        from .services import DocumentInput

        receipt_input = _receipt_input(form, [])
        receipt_input.documents = [DocumentInput(f.name[:200], is_scanned=True, file=f) for f in uploads]
        try:
            dossier = public.submit(request, receipt_input)
        except public.TooManyAttempts as exc:
            form.add_error(None, str(exc))
        except AddressNeedsChoice as exc:
            candidates = exc.candidates
            form.add_error("commune_code", str(exc))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "dossiers/submitted.html", {"dossier": dossier})
    return render(request, "dossiers/submit.html", {"form": form, "candidates": candidates})
