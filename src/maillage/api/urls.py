"""Versioned JSON API (OpenAPI at /api/v1/docs)."""

from ninja import NinjaAPI

from .diagnosis import router as diagnosis_router
from .offer import router as offer_router
from .orientation import router as orientation_router
from .territory import router as territory_router

api = NinjaAPI(
    title="Maillage API",
    version="1",
    description=("API de Maillage : référentiel territorial, offre d'accompagnement, orientation."),
    urls_namespace="api-v1",
)
api.add_router("/communes", territory_router)
api.add_router("/offer", offer_router)
api.add_router("/orient", orientation_router)
api.add_router("/diagnosis", diagnosis_router)
