"""The REST API, /api/v1/, with its OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from ninja import NinjaAPI
from ninja.throttling import AuthRateThrottle

from dangvu.core.api_auth import AUTH
from dangvu.members.api import router as member_router
from dangvu.organization.api import router as organization_router

api = NinjaAPI(
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
