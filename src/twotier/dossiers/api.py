"""REST API of the one-stop shop, mounted at /api/v1/dossiers/ (session authentication + CSRF).

- `POST /receipts`: receipt at the caller's centre; honours `Idempotency-Key` (see idempotency.py).
- `GET /`: the caller's work queues (`queue=mine|unit|due_soon|overdue|supplement|apology|counter|all`).
- `GET /{code}`: one dossier with its history (404 outside the caller's scope).
- `POST /{code}/transitions`: `{target, version, ...data}`; a stale version answers 409.
- `POST /{code}/apology`: apology letter with a new appointment.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import django_auth

from twotier.core.audit import log_access
from twotier.core.errors import Conflict, DomainError

from . import idempotency, services
from .addresses import AddressNeedsChoice
from .deadlines import to_local
from .models import Dossier
from .views import PERSONAL, QUEUES, perform_move, queue_queryset

router = Router(tags=["dossiers"], auth=django_auth)


class ApplicantIn(Schema):
    name: str
    id_number: str = ""
    birth_date: date | None = None
    phone: str = ""
    email: str = ""


class DocumentIn(Schema):
    kind: str
    is_scanned: bool = False
    reused_from_registry: str = ""
    registry_reference: str = ""


class ReceiptIn(Schema):
    procedure_code: str
    applicant: ApplicantIn
    address: str = ""
    commune_code: str = ""
    level: str = ""
    documents: list[DocumentIn] = []
    is_digitised: bool = False
    channel: int = 1


class MoveIn(Schema):
    target: int
    version: int
    note: str = ""
    items: list[str] = []
    reason: str = ""
    override_reason: str = ""
    amount_vnd: int | None = None
    method: str = ""


class ApologyIn(Schema):
    version: int
    reason: str
    new_due_at: datetime


def _iso(moment: datetime | None) -> str | None:
    return to_local(moment).isoformat() if moment is not None else None


def dossier_json(dossier: Dossier, *, events: bool = False) -> dict:
    body = {
        "receipt_code": dossier.receipt_code,
        "status": dossier.status,
        "status_name": dossier.status_name,
        "version": dossier.version,
        "procedure_code": dossier.procedure.code,
        "procedure_version": dossier.procedure_version.number,
        "level": dossier.level,
        "channel": dossier.channel,
        "applicant_name": dossier.applicant_name,
        "address_commune_code": dossier.address_commune_code,
        "receiving_unit": dossier.receiving_unit.code,
        "competent_unit": dossier.competent_unit.code,
        "province_code": dossier.province_code,
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
        "rescheduled_due_at": _iso(dossier.rescheduled_due_at),
        "is_digitised": dossier.is_digitised,
        "supplement_count": dossier.supplement_count,
        "assignee": dossier.assignee.get_username() if dossier.assignee_id else None,
    }
    if events:
        body["events"] = [
            {
                "kind": e.kind,
                "at": _iso(e.at),
                "actor": e.actor.get_username() if e.actor_id else None,
                "note": e.note,
                "data": e.data,
            }
            for e in dossier.events.select_related("actor").order_by("at", "pk")
        ]
    return body


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"detail": message, **extra}, status=status)


def _receipt_input(payload: ReceiptIn) -> services.ReceiptInput:
    return services.ReceiptInput(
        procedure_code=payload.procedure_code,
        applicant=services.ApplicantInput(**payload.applicant.dict()),
        address=payload.address,
        commune_code=payload.commune_code,
        level=payload.level,
        documents=[services.DocumentInput(**d.dict()) for d in payload.documents],
        is_digitised=payload.is_digitised,
        channel=payload.channel,
    )


@router.post("/receipts", summary="Receive a dossier at the caller's centre (Idempotency-Key honoured)")
def create_receipt(request: HttpRequest, payload: ReceiptIn):
    key = request.headers.get("Idempotency-Key", "").strip()
    record = None
    if key:
        digest = idempotency.fingerprint("POST", request.path, payload.dict())
        try:
            claimed = idempotency.begin(request.user, key, digest)
        except ValueError as exc:
            return _error(400, str(exc))
        except idempotency.KeyReused:
            return _error(422, _("Idempotency-Key đã được dùng cho một yêu cầu khác."))
        except idempotency.StillRunning:
            return _error(409, _("Yêu cầu với Idempotency-Key này đang được xử lý."))
        if isinstance(claimed, idempotency.Replay):
            response = JsonResponse(claimed.body, status=claimed.status, safe=False)
            response["Idempotent-Replayed"] = "true"
            return response
        record = claimed

    answer: dict = {}

    def within(dossier: Dossier) -> None:
        log_access(request, PERSONAL, [dossier.pk], action="change")
        answer.update(dossier_json(dossier))  # built once: stored for retries and sent now
        if record is not None:
            idempotency.finish(record, 201, answer)

    try:
        dossier = services.receive_dossier(
            _receipt_input(payload), actor=request.user, within_transaction=within
        )
    except (DomainError, PermissionDenied) as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 409 if isinstance(exc, Conflict) else 400
        body = {"detail": str(exc) or "Không có quyền."}
        if isinstance(exc, AddressNeedsChoice):
            body["candidates"] = exc.candidates
        if record is not None:
            idempotency.finish(record, status, body)
        return JsonResponse(body, status=status)
    except BaseException:
        if record is not None:
            idempotency.abandon(record)
        raise
    return JsonResponse(answer or dossier_json(dossier), status=201)


@router.get("/", summary="Work queues")
def list_dossiers(
    request: HttpRequest, queue: str = "all", status: int | None = None, limit: int = 50, offset: int = 0
):
    if not request.user.has_perm("dossiers.view_dossier"):
        return _error(403, _("Không có quyền."))
    if queue not in QUEUES:
        return _error(400, f"queue ∈ {sorted(QUEUES)}")
    qs = queue_queryset(request.user, queue)
    if status is not None:
        qs = qs.filter(status=status)
    limit = max(1, min(limit, 200))
    total = qs.count()
    rows = list(
        qs.select_related(
            "procedure", "procedure_version", "receiving_unit", "competent_unit", "assignee"
        ).order_by("due_at", "pk")[offset : offset + limit]
    )
    log_access(request, PERSONAL, [d.pk for d in rows])
    return {"count": total, "results": [dossier_json(d) for d in rows]}


@router.get("/stats", summary="Counts by status in the caller's scope")
def stats(request: HttpRequest):
    if not request.user.has_perm("dossiers.view_dossier"):
        return _error(403, _("Không có quyền."))
    rows = (
        Dossier.objects.visible_to(request.user).values("status").annotate(n=Count("pk")).order_by("status")
    )
    return {str(r["status"]): r["n"] for r in rows}


def _get(request: HttpRequest, code: str) -> Dossier:
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "procedure", "procedure_version", "receiving_unit", "competent_unit", "assignee"
        ),
        receipt_code=code,
    )


@router.get("/{code}", summary="One dossier with its history")
def get_dossier(request: HttpRequest, code: str):
    if not request.user.has_perm("dossiers.view_dossier"):
        return _error(403, _("Không có quyền."))
    dossier = _get(request, code)
    log_access(request, PERSONAL, [dossier.pk])
    return dossier_json(dossier, events=True)


def _act(request: HttpRequest, dossier: Dossier, action):
    try:
        action()
    except Conflict as exc:
        return _error(409, str(exc))
    except PermissionDenied as exc:
        return _error(403, str(exc) or _("Không có quyền."))
    except DomainError as exc:
        return _error(400, str(exc))
    dossier.refresh_from_db()
    return dossier_json(dossier)


@router.post("/{code}/transitions", summary="Move a dossier (carries the version the caller saw)")
def transition(request: HttpRequest, code: str, payload: MoveIn):
    dossier = _get(request, code)
    data = payload.dict()
    data["items"] = "\n".join(payload.items)
    return _act(request, dossier, lambda: perform_move(dossier, data, actor=request.user))


@router.post("/{code}/apology", summary="Apology letter with a new appointment (due_at unchanged)")
def apology(request: HttpRequest, code: str, payload: ApologyIn):
    dossier = _get(request, code)
    return _act(
        request,
        dossier,
        lambda: services.issue_apology(
            dossier,
            actor=request.user,
            seen_version=payload.version,
            reason=payload.reason,
            new_due_at=to_local(payload.new_due_at),
        ),
    )
