"""“Complementary actors near you”: organisations an organisation could ally with, each with its reasons.

A candidate is a published, active organisation the person may see, that is not yet a partner of the
organisation in any initiative the person may see, and that brings something the organisation lacks:
another profile, or trades (métiers) it does not have. Candidates come from the same intercommunalité (EPCI)
first, then from the rest of the département, then from the rest of the région, until there are enough.
Within a tier: another profile first, then more missing trades, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.core import permissions
from catalyse.territories.models import Territory

from .graph import GraphFilters, visible_partnerships

DEFAULT_LIMIT = 6


@dataclass
class PartnerSuggestion:
    organisation: Organisation
    reasons: list[str]

    @property
    def reason(self) -> str:
        return " · ".join(self.reasons)


def partner_ids(user, organisation: Organisation) -> set[int]:
    """Organisations that share (or shared) an initiative `user` may see with `organisation`."""
    qs = visible_partnerships(user, GraphFilters(organisation=organisation))
    return set(qs.values_list("organisation_id", flat=True)) - {organisation.pk}


def _candidates(user, organisation: Organisation, my_trades: set[int], exclude: set[int]):
    trades = Organisation.trades.through.objects.filter(organisation_id=OuterRef("pk"))
    missing = trades.exclude(trade_id__in=my_trades).values("organisation_id").annotate(n=Count("pk")).values("n")
    return (
        permissions.visible_queryset(user, Organisation.objects.all())
        .filter(status=PublicationStatus.PUBLISHED, dissolved_on__isnull=True)
        .exclude(pk__in=exclude | {organisation.pk})
        .annotate(
            new_trades=Coalesce(Subquery(missing, output_field=IntegerField()), Value(0)),
            other_profile=Case(When(~Q(profile=organisation.profile), then=1), default=0, output_field=IntegerField()),
        )
        .filter(Q(other_profile=1) | Q(new_trades__gt=0))
        .select_related("head_office__epci", "departement", "region")
        .prefetch_related("trades")
        .order_by("-other_profile", "-new_trades", "name", "pk")
    )


def _tiers(organisation: Organisation) -> list[tuple[Q, Q]]:
    """(where, except where) from nearest to farthest: same EPCI, rest of the département, rest of the région.
    Asked one after the other so that a full first tier spares ranking a whole région (a million
    organisations nationally)."""
    epci_id = organisation.head_office.epci_id if organisation.head_office_id else None
    same_departement = Q(departement_id=organisation.departement_id)
    tiers = [(same_departement, Q()), (Q(region_id=organisation.region_id), same_departement)]
    if epci_id:
        in_epci = Q(head_office__in=Territory.objects.filter(epci_id=epci_id).values("pk"))
        tiers = [(in_epci, Q()), (same_departement, in_epci), tiers[1]]
    return tiers


def _reasons(organisation: Organisation, candidate: Organisation, my_trades: set[int]) -> list[str]:
    reasons = []
    if candidate.profile != organisation.profile:
        reasons.append(_("autre profil : %(profile)s") % {"profile": candidate.get_profile_display()})
    missing = [t.name for t in candidate.trades.all() if t.pk not in my_trades]
    if missing:
        reasons.append(_("métiers que vous n'avez pas : %(trades)s") % {"trades": ", ".join(missing)})
    epci = candidate.head_office.epci if candidate.head_office_id else None
    if epci is not None and organisation.head_office_id and organisation.head_office.epci_id == epci.pk:
        reasons.append(_("même intercommunalité : %(name)s") % {"name": epci.name})
    elif candidate.departement_id == organisation.departement_id:
        reasons.append(_("même département : %(name)s") % {"name": candidate.departement.name})
    else:
        reasons.append(_("même région : %(name)s") % {"name": candidate.region.name})
    reasons.append(_("pas encore partenaires"))
    return reasons


def partner_suggestions_for(user, organisation: Organisation, *, limit: int = DEFAULT_LIMIT) -> list[PartnerSuggestion]:
    """Up to `limit` complementary organisations near `organisation`, nearest and most complementary first."""
    if organisation.departement_id is None or organisation.region_id is None:
        return []  # no head office: nothing is "near"
    my_trades = set(organisation.trades.values_list("pk", flat=True))
    exclude = partner_ids(user, organisation)
    base = _candidates(user, organisation, my_trades, exclude)
    found: list[Organisation] = []
    for where, outside in _tiers(organisation):
        if len(found) >= limit:
            break
        tier = base.filter(where).exclude(outside) if outside else base.filter(where)
        found += tier[: limit - len(found)]
    return [PartnerSuggestion(c, _reasons(organisation, c, my_trades)) for c in found]
