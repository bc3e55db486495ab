from django.db import transaction

from catalyse.accounts.audit import Action, audit_record
from catalyse.core.concurrency import versioned_update
from catalyse.core.slugs import unique_slug
from catalyse.core.text import fold
from catalyse.territories.models import Territory

from .models import Membership, MembershipRole, Organisation, PublicationStatus


def organisation_locate(org: Organisation) -> None:
    """Refresh the denormalised fields: folded name, and région, département and typology of the head office."""
    org.search_name = fold(org.name)
    office: Territory | None = org.head_office
    if office is None:
        org.region_id = org.departement_id = None
        org.typology = ""
        return
    org.region_id = office.region_id
    org.departement_id = office.departement_id
    org.typology = office.typology
    _place_at_head_office(org, office)


def _place_at_head_office(org: Organisation, office: Territory) -> None:
    """Give an organisation without a point of its own its head-office commune's centroid.

    Rule (no flag column needed): a point equal to some commune's centroid was derived, so it follows
    the head office when that changes; any other point was entered explicitly and is kept."""
    if office.latitude is None:
        return
    derived = org.latitude is None or org.longitude is None
    if not derived and (org.latitude, org.longitude) != (office.latitude, office.longitude):
        derived = Territory.objects.filter(level="commune", latitude=org.latitude, longitude=org.longitude).exists()
    if derived:
        org.latitude, org.longitude = office.latitude, office.longitude


@transaction.atomic
def organisation_create(*, created_by=None, trades=(), competences=(), territories=(), **fields) -> Organisation:
    """Create an organisation. Animators' (and imports') are published; others' go to moderation."""
    org = Organisation(**fields)
    if created_by is not None and not getattr(created_by, "is_animator", False) and "status" not in fields:
        org.status = PublicationStatus.PENDING
    org.created_by = created_by
    org.slug = org.slug or unique_slug(Organisation, org.name)
    organisation_locate(org)
    org.full_clean(exclude=["slug"])
    org.save()
    org.trades.set(trades)
    org.competences.set(competences)
    org.territories.set(territories)
    audit_record(Action.CREATE, obj=org, actor=created_by, changes={"status": org.status})
    return org


def organisation_update(org: Organisation, *, expected_version: int | None = None, trades=None, competences=None,
                        territories=None, **fields) -> Organisation:
    """Change fields; raises ConflictError if someone else saved since `expected_version`."""
    return versioned_update(org, expected_version=expected_version, fields=fields, prepare=organisation_locate,
                            relations={"trades": trades, "competences": competences, "territories": territories},
                            clean_exclude=["slug"])


@transaction.atomic
def organisation_propose(*, user, **fields) -> Organisation:
    """An organisation created from the site or the API: unless an animator created it, it waits for
    moderation and its creator becomes its editor (so that they can complete it meanwhile)."""
    org = organisation_create(created_by=user, **fields)
    if not user.is_animator:
        Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": MembershipRole.EDITOR})
        audit_record(Action.PERMISSION, obj=org, actor=user, changes={"member_added": user.email, "role": "editor"})
    return org
