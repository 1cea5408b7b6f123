from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from twotier.api import api

urlpatterns = [
    path("", include("twotier.core.urls")),
    path("geography/", include("twotier.geography.urls")),
    path("procedures/", include("twotier.procedures.urls")),
    path("apparatus/", include("twotier.apparatus.urls")),
    path("dossiers/", include("twotier.dossiers.urls")),
    path("assistant/", include("twotier.assistant.urls")),
    path("evaluation/reviews/", include("twotier.evaluation.review_urls")),
    path("evaluation/", include("twotier.evaluation.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
