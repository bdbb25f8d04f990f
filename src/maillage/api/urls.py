"""Versioned JSON API (OpenAPI at /api/v1/docs)."""

from ninja import NinjaAPI

from .territory import router as territory_router

api = NinjaAPI(
    title="Maillage API",
    version="1",
    description="API de Maillage : référentiel territorial, offre d'accompagnement.",
    urls_namespace="api-v1",
)
api.add_router("/communes", territory_router)
