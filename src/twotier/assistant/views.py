"""Kiosk pages (citizens, touch screen at a PASC) and the queue: take a number, display board, counter."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST

from twotier.core.errors import DomainError
from twotier.core.scoping import scope_of
from twotier.geography.models import Commune
from twotier.procedures.models import Procedure

from . import services
from .models import Ticket, TicketStatus
from .querysets import answer
from .queue_groups import BY_KEY, GROUPS, group_for_field

# Suggested common tasks on the kiosk's first screen: the everyday words citizens use (UX.md: plain words).
# The label is shown in the visitor's language; the question sent to the assistant is always the
# Vietnamese source string (the vocabulary reads Vietnamese and English, not Indonesian), so the
# translations need no Vietnamese terms in brackets.
SUGGESTIONS = [
    gettext_noop("Làm giấy khai sinh cho con"),
    gettext_noop("Đăng ký kết hôn"),
    gettext_noop("Báo tử người thân"),
    gettext_noop("Xin giấy xác nhận độc thân"),
    gettext_noop("Chứng thực bản sao giấy tờ"),
    gettext_noop("Đăng ký thường trú (nhập hộ khẩu)"),
    gettext_noop("Đăng ký tạm trú"),
    gettext_noop("Xin giấy phép xây nhà"),
    gettext_noop("Làm sổ đỏ lần đầu"),
    gettext_noop("Đăng ký hộ kinh doanh"),
]
INACTIVITY_SECONDS = 90
# Staff who call numbers at a centre's counters (the receptionist role has it, core/roles.py).
COUNTER_PERMISSION = "assistant.change_ticket"


def _suggestions(n: int | None = None) -> list[dict[str, str]]:
    return [{"label": gettext(s), "query": s} for s in SUGGESTIONS[:n]]


def _valid_center(code: str | None) -> bool:
    return bool(code) and code.isdigit() and len(code) <= 10


def _center(request: HttpRequest) -> str:
    """The centre (commune code) a page is for: ?center= (or ?centre=) in the URL or the form, else the
    kiosk's configured centre (settings.TWOTIER_KIOSK_CENTRE)."""
    for key in ("center", "centre"):
        code = request.GET.get(key) or request.POST.get(key)
        if _valid_center(code):
            return code
    return settings.TWOTIER_KIOSK_CENTRE


def may_run_counter(user, center: str) -> bool:
    """Calling numbers is for staff with the counter permission whose territory holds the centre: the
    centre's own commune staff, city staff of its province, or staff who see every territory."""
    if not user.has_perm(COUNTER_PERMISSION):
        return False
    scope = scope_of(user)
    if scope.everything or center in scope.commune_codes:
        return True
    if scope.province_codes:
        province = Commune.objects.filter(code=center).values_list("province_id", flat=True).first()
        return province in scope.province_codes
    return False


def kiosk(request: HttpRequest) -> HttpResponse:
    question = request.GET.get("q", "").strip()[:500]
    result = answer(question, top=3) if question else None
    for row in (result or {}).get("results", []):
        row["group"] = group_for_field(row["field"])
    context = {
        "question": question,
        "result": result,
        "suggestions": _suggestions(),
        "center": _center(request),
        "inactivity_seconds": INACTIVITY_SECONDS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "assistant/_results.html", context)
    return render(request, "assistant/kiosk.html", context)


def _optional_url(name: str) -> str:
    """Pages of the one-stop shop (online submission, status lookup) are built in another app; the portal
    links them when they exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def portal(request: HttpRequest) -> HttpResponse:
    """Home page for citizens: ask, browse the catalogue, submit online, look up a dossier's status."""
    return render(
        request,
        "assistant/portal.html",
        {
            "suggestions": _suggestions(6),
            "center": _center(request),
            "submit_url": _optional_url("dossiers:submit"),
            "status_url": _optional_url("dossiers:status"),
            "catalogue_url": _optional_url("procedures:list"),
        },
    )


def _qr_svg(data: str) -> str:
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = img.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def checklist(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.receivable().select_related("current_version"), code=code)
    url = request.build_absolute_uri(procedure.get_absolute_url())
    version = procedure.current_version
    return render(
        request,
        "assistant/checklist.html",
        {
            "procedure": procedure,
            "version": version,
            "documents": version.documents if version else [],
            "qr": mark_safe(_qr_svg(url)),  # generated by qrcode from our own URL, no user markup
            "url": url,
            "center": _center(request),
        },
    )


@require_POST
def take_ticket(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    group = request.POST.get("group", "")
    code = request.POST.get("procedure", "")[:20]
    if not group and code:
        procedure = Procedure.objects.filter(code=code).first()
        group = group_for_field(procedure.field).key if procedure else "other"
    try:
        ticket = services.take_ticket(center, group, procedure_code=code)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    return render(
        request, "assistant/ticket.html", {"ticket": ticket, "group": BY_KEY[ticket.group], "center": center}
    )


def _board_rows(center: str) -> list[dict]:
    today = timezone.localdate()
    tickets = Ticket.objects.filter(center_code=center, day=today)
    rows = []
    for g in GROUPS:
        mine = [t for t in tickets if t.group == g.key]
        called = sorted(
            (t for t in mine if t.status != TicketStatus.WAITING), key=lambda t: t.called_at, reverse=True
        )
        rows.append(
            {
                "group": g,
                "now": called[0] if called else None,
                "waiting": sum(t.status == TicketStatus.WAITING for t in mine),
                "recent": called[1:4],
            }
        )
    return rows


def board(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    context = {"rows": _board_rows(center), "center": center}
    if request.headers.get("HX-Request"):
        return render(request, "assistant/_board.html", context)
    return render(request, "assistant/board.html", context)


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    center = _center(request)
    if not any(request.GET.get(k) or request.POST.get(k) for k in ("center", "centre")):
        profile = getattr(request.user, "staff_profile", None)
        if profile is not None and profile.commune_code:
            center = profile.commune_code  # a commune officer's own centre by default
    if not may_run_counter(request.user, center):
        # Out of scope reads as absent, as everywhere else (core/scoping.py): 404, never 403.
        raise Http404("no counter of this centre for this account")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "call":
            group = request.POST.get("group", "")
            if group in BY_KEY:
                services.call_next(
                    center, group, counter=request.POST.get("counter", "")[:20], actor=request.user
                )
        elif action == "served":
            ticket = get_object_or_404(Ticket, pk=request.POST.get("ticket"), center_code=center)
            services.mark_served(ticket.pk, actor=request.user)
        return redirect(f"{reverse('assistant:counter')}?center={center}")
    today = timezone.localdate()
    serving = Ticket.objects.filter(center_code=center, day=today, status=TicketStatus.CALLED).order_by(
        "called_at"
    )
    return render(
        request,
        "assistant/counter.html",
        {"rows": _board_rows(center), "serving": serving, "center": center, "groups": GROUPS},
    )
