from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("", views.kiosk, name="kiosk"),
    path("portal/", views.portal, name="portal"),
    path("checklist/<str:code>/", views.checklist, name="checklist"),
    path("queue/take/", views.take_ticket, name="take"),
    path("queue/board/", views.board, name="board"),
    path("queue/counter/", views.counter, name="counter"),
]
