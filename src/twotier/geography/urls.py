from django.urls import path

from . import views

app_name = "geography"
urlpatterns = [
    path("", views.provinces, name="provinces"),
    path("provinces/<str:code>/", views.province, name="province"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("resolve/", views.resolve, name="resolve"),
    path("resolve/preview/", views.resolve_preview, name="resolve-preview"),
    path("resolve/jobs/", views.job_create, name="job-create"),
    path("resolve/jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
