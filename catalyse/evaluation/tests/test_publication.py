"""Publication with co-validation: an item about partner B stays private until B approves.

`org` carries the initiative (`member` and `owner` are its people); `partner_b` is another partner with its own
person `b_person`; `outsider` is a network member who is no partner."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalyse.accounts.models import AuditEntry
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.core import permissions
from catalyse.evaluation import publication
from catalyse.evaluation.models import EventKind, MobilisationEvent, PublicationApproval
from catalyse.initiatives.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_b(initiative):
    organisation = OrganisationFactory(name="Partenaire B")
    PartnershipFactory(initiative=initiative, organisation=organisation)
    return organisation


@pytest.fixture
def b_person(partner_b):
    return MembershipFactory(organisation=partner_b).user


def _event(initiative, concerns):
    return MobilisationEvent.objects.create(initiative=initiative, concerns=concerns, kind=EventKind.LEFT,
                                            happened_on=dt.date(2025, 3, 1), reason="Fin de son financement")


def _visible_to(user, item) -> bool:
    return permissions.visible_queryset(user, MobilisationEvent.objects.filter(pk=item.pk)).exists()


def test_item_about_partner_b_stays_unpublished_until_b_approves(initiative, member, partner_b, b_person, outsider):
    event = _event(initiative, partner_b)
    assert _visible_to(b_person, event) and _visible_to(member, event)  # private to the partners
    assert not _visible_to(outsider, event) and not _visible_to(None, event)

    state = publication.publication_request(member, event)

    assert state.state == publication.State.REQUESTED and state.waiting_for == [partner_b]
    assert not _visible_to(outsider, event)
    assert list(publication.awaiting_approval(b_person, MobilisationEvent.objects.all())) == [event]
    assert not publication.awaiting_approval(member, MobilisationEvent.objects.all()).exists()

    state = publication.publication_approve(b_person, event)

    assert state.state == publication.State.PUBLISHED and state.waiting_for == []
    assert _visible_to(outsider, event) and _visible_to(None, event)
    assert not publication.awaiting_approval(b_person, MobilisationEvent.objects.all()).exists()


def test_another_partner_cannot_approve_for_b(initiative, member, owner, partner_b):
    event = _event(initiative, partner_b)
    publication.publication_request(member, event)
    with pytest.raises(PermissionDenied):
        publication.publication_approve(owner, event)
    event.refresh_from_db()
    assert not event.is_public


def test_an_animator_approves_for_b_only_with_a_reason_kept_and_audited(initiative, member, partner_b, animator):
    event = _event(initiative, partner_b)
    publication.publication_request(member, event)
    with pytest.raises(ValidationError):
        publication.publication_approve(animator, event)
    assert not MobilisationEvent.objects.get(pk=event.pk).is_public

    state = publication.publication_approve(animator, event, on_behalf_reason="Accord donné par courrier du 3 mars")

    assert state.state == publication.State.PUBLISHED
    assert state.approvals[0].on_behalf_reason == "Accord donné par courrier du 3 mars"
    assert AuditEntry.objects.filter(action="moderation", object_id=str(event.pk), actor=animator).exists()


def test_b_asking_itself_publishes_at_once(initiative, partner_b, b_person, outsider):
    event = _event(initiative, partner_b)
    assert publication.publication_request(b_person, event).state == publication.State.PUBLISHED
    assert _visible_to(outsider, event)


def test_a_collective_item_is_published_on_request(initiative, member, outsider):
    event = _event(initiative, None)
    assert publication.publication_request(member, event).state == publication.State.PUBLISHED


def test_outsider_cannot_ask_for_publication(initiative, partner_b, outsider):
    event = _event(initiative, partner_b)
    with pytest.raises(PermissionDenied):
        publication.publication_request(outsider, event)


def test_approving_without_a_request_is_refused(initiative, partner_b, b_person):
    event = _event(initiative, partner_b)
    with pytest.raises(ValidationError):
        publication.publication_approve(b_person, event)


def test_withdrawing_makes_it_private_and_forgets_approvals(initiative, member, partner_b, b_person, outsider):
    event = _event(initiative, partner_b)
    publication.publication_request(member, event)
    publication.publication_approve(b_person, event)

    state = publication.publication_withdraw(b_person, event)

    assert state.state == publication.State.PRIVATE
    assert not _visible_to(outsider, event)
    assert not PublicationApproval.objects.exists()


def test_a_change_after_approval_waits_for_b_again(initiative, member, partner_b, b_person, outsider):
    event = _event(initiative, partner_b)
    publication.publication_request(member, event)
    publication.publication_approve(b_person, event)

    event.reason = "Désaccord sur la gouvernance"
    event.save()
    publication.publication_reset(event, actor=member)

    assert publication.status(event).state == publication.State.REQUESTED
    assert not _visible_to(outsider, event)
