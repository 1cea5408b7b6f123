"""twotier: operations platform for Vietnam's two-tier local government."""

from .celery import app as celery_app

__all__ = ["celery_app"]
