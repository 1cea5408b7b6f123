"""The one REST API, mounted at /api/v1/ (OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs).

Each app contributes a Router in its own api.py; this module only mounts them.
"""

from ninja import NinjaAPI

from twotier.apparatus.api import router as apparatus_router
from twotier.assistant.api import router as assistant_router
from twotier.dossiers.api import router as dossiers_router
from twotier.evaluation.api import router as evaluation_router
from twotier.geography.api import router as geography_router
from twotier.procedures.api import router as procedures_router

api = NinjaAPI(
    title="twotier API",
    version="1",
    description="Two-tier local government platform (Vietnam, from 1 July 2025).",
    urls_namespace="api",
)


@api.get("/", tags=["meta"], summary="API root: the resources available")
def api_root(request):
    return {
        "name": "twotier",
        "version": "1",
        "resources": {
            "geography": "/api/v1/geography/",
            "procedures": "/api/v1/procedures/",
            "apparatus": "/api/v1/apparatus/",
            "dossiers": "/api/v1/dossiers/",
            "assistant": "/api/v1/assistant/",
            "evaluation": "/api/v1/evaluation/",
        },
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
    }


api.add_router("/geography/", geography_router)
api.add_router("/procedures/", procedures_router)
api.add_router("/apparatus/", apparatus_router)
api.add_router("/dossiers/", dossiers_router)
api.add_router("/assistant/", assistant_router)
api.add_router("/evaluation/", evaluation_router)
