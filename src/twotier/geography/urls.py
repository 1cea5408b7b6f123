from django.urls import path
from django.views.generic import TemplateView

app_name = "geography"
urlpatterns = [
    path("resolve/", TemplateView.as_view(template_name="base.html"), name="resolve"),
    path("", TemplateView.as_view(template_name="base.html"), name="provinces"),
]
