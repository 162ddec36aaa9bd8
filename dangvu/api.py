"""The REST API, /api/v1/, with its OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

from dangvu.organization.api import router as organization_router

api = NinjaAPI(
    title="dangvu API",
    version="1",
    description="Công tác xây dựng Đảng — the same data and scopes as the pages.",
    auth=django_auth,
    urls_namespace="api",
)


api.add_router("/", organization_router)
