"""Celery application: real broker in production, eager in-process on the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twotier.settings")

app = Celery("twotier")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
