import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from catalyse.accounts.models import AuditEntry, ModerationDecision, Suggestion, SuggestionStatus
from catalyse.actors.models import PublicationStatus
from catalyse.actors.services import organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(member):
    return organisation_create(name="Tiers-lieu proposé", profile="interet_general", created_by=member)


def _ct(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


def test_an_organisation_proposed_by_a_member_waits_in_the_queue(client, animator, proposed):
    assert proposed.status == PublicationStatus.PENDING
    client.force_login(animator)
    assert proposed.name in client.get(reverse("accounts:moderation")).content.decode()


def test_the_queue_is_refused_to_members(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:moderation")).status_code == 403


def test_an_animator_approves_and_the_proposer_is_told(client, animator, member, proposed):
    client.force_login(animator)
    url = reverse("accounts:moderation_item", args=[_ct(proposed), proposed.pk])
    assert client.post(url, {"decision": "approve", "message": ""}).status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == PublicationStatus.PUBLISHED
    assert mail.outbox[-1].to == [member.email] and "Approuvé" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(action="moderation", object_id=str(proposed.pk)).exists()


@pytest.mark.parametrize(("decision", "status"), [("changes", PublicationStatus.CHANGES_REQUESTED),
                                                  ("reject", PublicationStatus.REJECTED)])
def test_asking_for_changes_or_rejecting_needs_a_message(client, animator, proposed, decision, status):
    client.force_login(animator)
    url = reverse("accounts:moderation_item", args=[_ct(proposed), proposed.pk])
    client.post(url, {"decision": decision, "message": ""})
    proposed.refresh_from_db()
    assert proposed.status == PublicationStatus.PENDING
    client.post(url, {"decision": decision, "message": "Précisez le territoire d'action."})
    proposed.refresh_from_db()
    assert proposed.status == status
    assert ModerationDecision.objects.get().message == "Précisez le territoire d'action."


def test_an_anonymous_visitor_suggests_an_edit_that_the_editor_accepts(client, org, owner):
    url = reverse("accounts:suggest", args=[_ct(org), org.pk])
    client.post(url, {"kind": "edit", "field": "website", "proposed_value": "https://exemple.org", "message": "site"})
    suggestion = Suggestion.objects.get()
    assert suggestion.author is None
    client.force_login(owner)
    review = client.get(reverse("accounts:suggestion_review", args=[suggestion.pk])).content.decode()
    assert "<ins>+ https://exemple.org</ins>" in review
    client.post(reverse("accounts:suggestion_review", args=[suggestion.pk]), {"decision": "accept"})
    org.refresh_from_db()
    assert org.website == "https://exemple.org"
    assert Suggestion.objects.get().status == SuggestionStatus.ACCEPTED


def test_an_error_report_is_declined_without_changing_the_organisation(client, org, owner):
    client.post(reverse("accounts:suggest", args=[_ct(org), org.pk]),
                {"kind": "error", "message": "Cette structure a déménagé."})
    suggestion = Suggestion.objects.get()
    client.force_login(owner)
    client.post(reverse("accounts:suggestion_review", args=[suggestion.pk]), {"decision": "decline"})
    assert Suggestion.objects.get().status == SuggestionStatus.DECLINED


def test_outsiders_cannot_review_suggestions(client, org, outsider):
    client.post(reverse("accounts:suggest", args=[_ct(org), org.pk]), {"kind": "error", "message": "erreur"})
    client.force_login(outsider)
    assert client.get(reverse("accounts:suggestion_review", args=[Suggestion.objects.get().pk])).status_code == 404


def test_the_contact_email_cannot_be_changed_by_suggestion(client, org):
    client.post(reverse("accounts:suggest", args=[_ct(org), org.pk]),
                {"kind": "edit", "field": "email", "proposed_value": "pirate@exemple.fr"})
    assert not Suggestion.objects.exists()


def test_a_proposal_identical_to_the_current_text_is_refused_with_a_message(client, org):
    response = client.post(reverse("accounts:suggest", args=[_ct(org), org.pk]),
                           {"kind": "edit", "field": "name", "proposed_value": org.name})
    assert response.status_code == 200
    assert "identique au texte actuel" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_suggestions_are_rate_limited_per_address(client, org):
    url = reverse("accounts:suggest", args=[_ct(org), org.pk])
    statuses = [client.post(url, {"kind": "error", "message": f"erreur {n}"}).status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert Suggestion.objects.count() == 10


def test_suggestions_written_by_code_are_not_counted_against_visitors(client, org):
    """The demo (and any code without a request) writes suggestions without using up the visitors' allowance."""
    from catalyse.accounts.moderation import suggestion_create

    for n in range(12):
        suggestion_create(obj=org, kind="error", message=f"erreur {n}")
    url = reverse("accounts:suggest", args=[_ct(org), org.pk])
    assert client.post(url, {"kind": "error", "message": "vue par un visiteur"}).status_code == 302
    assert Suggestion.objects.count() == 13


def test_suggestions_on_an_unpublished_organisation_are_not_found(client, proposed):
    response = client.get(reverse("accounts:suggest", args=[_ct(proposed), proposed.pk]))
    assert response.status_code == 404


def test_initiatives_share_the_queue_and_the_suggestions(client, animator, member):
    from catalyse.initiatives.tests.factories import InitiativeFactory

    pending = InitiativeFactory(title="Garage solidaire", publication=PublicationStatus.PENDING, created_by=member)
    client.force_login(animator)
    assert "Garage solidaire" in client.get(reverse("accounts:moderation")).content.decode()
    client.post(reverse("accounts:moderation_item", args=[_ct(pending), pending.pk]), {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.publication == PublicationStatus.PUBLISHED
    client.logout()
    client.post(reverse("accounts:suggest", args=[_ct(pending), pending.pk]),
                {"kind": "edit", "field": "summary", "proposed_value": "Un garage associatif."})
    client.force_login(animator)
    client.post(reverse("accounts:suggestion_review", args=[Suggestion.objects.get().pk]), {"decision": "accept"})
    pending.refresh_from_db()
    assert pending.summary == "Un garage associatif."


def test_public_pages_link_to_suggestions(client, org):
    from catalyse.initiatives.tests.factories import InitiativeFactory

    initiative = InitiativeFactory()
    for obj in (org, initiative):
        page = client.get(obj.get_absolute_url()).content.decode()
        assert reverse("accounts:suggest", args=[_ct(obj), obj.pk]) + "?type=error" in page


@pytest.mark.parametrize(("display_name", "shown"), [("", "un membre du réseau"), ("Camille", "Camille")])
def test_editors_see_a_suggestion_authors_name_never_their_email(client, org, owner, outsider, display_name, shown):
    outsider.display_name = display_name
    outsider.save(update_fields=["display_name"])
    client.force_login(outsider)
    client.post(reverse("accounts:suggest", args=[_ct(org), org.pk]), {"kind": "error", "message": "Adresse fausse."})
    client.force_login(owner)
    review = client.get(reverse("accounts:suggestion_review", args=[Suggestion.objects.get().pk])).content.decode()
    assert outsider.email not in review
    assert f"par {shown}" in review
