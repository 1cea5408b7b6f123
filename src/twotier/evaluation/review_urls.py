"""URLs of the implementation reviews (mounted at /evaluation/reviews/, namespace "reviews")."""

from django.urls import path

from . import review_views as views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="reviews"),
    path("new/", views.review_new, name="review-new"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/consolidate/", views.review_consolidate, name="review-consolidate"),
    path("<int:pk>/close/", views.review_close, name="review-close"),
    path("<int:pk>/report.pdf", views.review_pdf, name="review-pdf"),
    path("<int:pk>/report.xlsx", views.review_xlsx, name="review-xlsx"),
    path("<int:pk>/units/<str:code>/", views.report_form, name="report"),
    path("<int:pk>/units/<str:code>/return/", views.report_return, name="report-return"),
    path("<int:pk>/items/<int:item_id>/accept/", views.item_accept, name="item-accept"),
    path("<int:pk>/items/<int:item_id>/decline/", views.item_decline, name="item-decline"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task-done"),
]
