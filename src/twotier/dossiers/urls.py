from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("receive/", views.receive, name="receive"),
    path("receive/checklist/", views.checklist, name="checklist"),
    path("receive/address/", views.address_help, name="address"),
    path("receive/citizen/", views.citizen_prefill, name="prefill"),
    path("status/", views.status_page, name="status"),
    path("status/rate/", views.rate, name="rate"),
    path("status/complaint/", views.complain, name="complain"),
    path("submit/", views.submit, name="submit"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/move/", views.move, name="move"),
    path("<str:code>/apology/", views.apology, name="apology"),
    path("<str:code>/take/", views.take, name="take"),
    path("<str:code>/paper/<slug:kind>.pdf", views.paper, name="paper"),
]
