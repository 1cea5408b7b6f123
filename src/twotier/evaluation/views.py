"""Evaluation pages (stubs replaced below)."""

from django.http import Http404


def _todo(request, *a, **k):
    raise Http404


dashboard = commune_dashboard = report = report_export = warning_list = warning_detail = warning_act = _todo
indicators = indicator_import = _todo
