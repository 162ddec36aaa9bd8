"""The REST API, /api/v1/, with its OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from ninja import NinjaAPI
from ninja.throttling import AuthRateThrottle

from dangvu.badges.api import router as badges_router
from dangvu.classification.api import router as classification_router
from dangvu.core.api import router as core_router
from dangvu.core.api_auth import AUTH
from dangvu.development.api import router as development_router
from dangvu.documents.api import router as documents_router
from dangvu.meetings.api import router as meetings_router
from dangvu.members.api import router as member_router
from dangvu.organization.api import router as organization_router
from dangvu.programme.api import router as programme_router
from dangvu.reports.api import router as reports_router
from dangvu.targets.api import router as targets_router


class DangvuAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Every operation may answer 400 when the request carries a NUL character
        (core.middleware.RejectNullCharactersMiddleware refuses it before any view)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        refused = {
            "description": "Bad Request: a NUL character in the path, query or body",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(400, refused)
        return schema


api = DangvuAPI(
    title="dangvu API",
    version="1",
    description="Công tác xây dựng Đảng — the same data and scopes as the pages.",
    auth=AUTH,
    # Bounded use per user: enough for integrations, not for scraping. (Unauthenticated requests
    # are refused before any throttle runs; a token has 256 random bits, nothing to guess.)
    throttle=[AuthRateThrottle("1200/m")],
    urls_namespace="api",
)


api.add_router("/", organization_router)
api.add_router("/", member_router)
api.add_router("/", reports_router)
api.add_router("/", classification_router)
api.add_router("/", meetings_router)
api.add_router("/", programme_router)
api.add_router("/", development_router)
api.add_router("/", badges_router)
api.add_router("/", targets_router)
api.add_router("/", documents_router)
api.add_router("/", core_router)
