import pytest
from django.urls import reverse

from catalyse.actors.models import DuplicateDismissal, MergeRecord, Organisation

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_animator_sees_likely_duplicates_and_merges_them(client, animator):
    keep = OrganisationFactory(name="Les Amis du Terril")
    remove = OrganisationFactory(name="Amis du terril")
    client.force_login(animator)
    page = client.get(reverse("actors:duplicates")).content.decode()
    assert "Amis du terril" in page and f"garder={keep.pk}&amp;retirer={remove.pk}" in page
    confirm = client.get(reverse("actors:merge"), {"garder": keep.pk, "retirer": remove.pk})
    assert confirm.status_code == 200
    response = client.post(reverse("actors:merge"), {"garder": keep.pk, "retirer": remove.pk})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    assert not Organisation.objects.filter(pk=remove.pk).exists()
    assert MergeRecord.objects.get().merged_by == animator


def test_merge_with_bad_parameters_is_404(client, animator, org):
    client.force_login(animator)
    assert client.get(reverse("actors:merge"), {"garder": "x", "retirer": org.pk}).status_code == 404
    assert client.get(reverse("actors:merge"), {"garder": org.pk, "retirer": org.pk}).status_code == 404


def test_member_cannot_merge(client, member, org):
    other = OrganisationFactory()
    client.force_login(member)
    response = client.post(reverse("actors:merge"), {"garder": org.pk, "retirer": other.pk})
    assert response.status_code == 403 and Organisation.objects.filter(pk=other.pk).exists()


def test_animator_can_dismiss_a_pair(client, animator):
    a, b = OrganisationFactory(name="Alliance"), OrganisationFactory(name="Alliance")
    client.force_login(animator)
    client.post(reverse("actors:duplicate_dismiss"), {"first": b.pk, "second": a.pk})
    assert DuplicateDismissal.objects.filter(first=a, second=b).exists()
    assert "Aucun doublon" in client.get(reverse("actors:duplicates")).content.decode()


def test_the_page_of_a_merged_organisation_redirects_to_the_kept_one(client, animator):
    keep, remove = OrganisationFactory(), OrganisationFactory()
    old = remove.get_absolute_url()
    client.force_login(animator)
    client.post(reverse("actors:merge"), {"garder": keep.pk, "retirer": remove.pk})
    client.logout()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()
    assert client.get(reverse("actors:detail", args=["jamais-existe"])).status_code == 404
