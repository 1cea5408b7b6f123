from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("<str:code>/", views.detail, name="detail"),
]
