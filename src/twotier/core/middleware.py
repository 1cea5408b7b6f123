from django.http import HttpResponse, JsonResponse

from .errors import Conflict, DomainError


class DomainErrorMiddleware:
    """Turn domain errors raised by services into clear responses (409 for conflicts, 400 otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        status = 409 if isinstance(exception, Conflict) else 400
        message = str(exception)
        wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        )
        if wants_json:
            return JsonResponse({"detail": message}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language with the switcher (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a commune office PC or a kiosk
    often runs an English browser, and the platform must still open in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
