"""IATI 2.03 activity XML: GET /api/v1/initiatives/{slug}/iati.xml and GET /api/v1/evaluation/iati.xml.

An `iati-activities` document without activity is invalid against the schema: an initiative the caller may not
see, or a selection of which they see none, answers 404 before anything is written."""

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from .iati import iati_response
from .models import Indicator

initiatives_router = Router(tags=["evaluation"])
router = Router(tags=["evaluation"])
MAX_SELECTION = 1000

XML = {200: {"description": "Document IATI 2.03 (XML)", "content": {"application/xml": {}}}}


@initiatives_router.get("/{slug}/iati.xml", summary="Une initiative et son cadre de résultats en IATI 2.03",
                        openapi_extra={"responses": XML})
def initiative_iati(request: HttpRequest, slug: str):
    """Ce que la personne peut voir : les éléments publiés, tout pour les partenaires."""
    initiative = permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    return iati_response(request, Initiative.objects.filter(pk=initiative.pk), filename=f"{initiative.slug}-iati.xml")


class SelectionQuery(Schema):
    initiatives: str = Field("", max_length=20_000,
                             description="slugs séparés par des virgules ; absent : les initiatives visibles qui "
                                         "ont des indicateurs visibles")


@router.get("/iati.xml", summary="Une sélection d'initiatives en IATI 2.03", openapi_extra={"responses": XML})
def selection_iati(request: HttpRequest, query: Query[SelectionQuery]):
    """Seules les initiatives que la personne peut voir sont écrites ; aucune : 404."""
    slugs = [slug.strip() for slug in query.initiatives.split(",") if slug.strip()][:MAX_SELECTION]
    if slugs:
        selection = Initiative.objects.filter(slug__in=slugs)
    else:
        indicators = permissions.visible_queryset(request.user, Indicator.objects.all())
        selection = Initiative.objects.filter(pk__in=indicators.values("initiative_id"))
    selection = permissions.visible_queryset(request.user, selection)
    if not selection.exists():
        raise Http404("Aucune initiative visible dans cette sélection.")
    return iati_response(request, selection, filename="catalyse-iati.xml")
