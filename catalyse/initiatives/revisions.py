"""What the revisions of initiatives and practice sheets keep (the generic snapshot, diff and restore are in
catalyse.core.revisions), and the diff of one stored Revision."""

from django.utils.safestring import SafeString

from catalyse.core.revisions import RevisedFields

from .models import Initiative, PracticeSheet, Revision

# Text, classification and dates: partners, resources and sheets have their own dated history.
INITIATIVE = RevisedFields(Initiative, {
    "title": "Titre", "summary": "Résumé", "recit": "Récit", "stage": "Stade", "status": "État",
    "visibility": "Visibilité", "start_date": "Début", "end_date": "Fin", "cover_alt": "Description de l'image",
    "territories": "Territoires", "themes": "Thèmes", "sdgs": "ODD",
})
SHEET = RevisedFields(PracticeSheet, {
    "title": "Titre", "territory": "Territoire", "objective": "Objectif", "actors_involved": "Acteurs impliqués",
    "description": "Description", "next_step": "Prochaine étape", "tools_used": "Outils utilisés",
})


def revised_fields(revision: Revision) -> RevisedFields:
    return SHEET if revision.sheet_id else INITIATIVE


def revision_diff(revision: Revision, previous: Revision | None) -> list[tuple[str, SafeString]]:
    """What `revision` changed compared with `previous` (None: the creation, everything is new)."""
    return revised_fields(revision).diff(previous.snapshot if previous else {}, revision.snapshot)
