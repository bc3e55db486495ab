"""Through a real browser: an animator merges a duplicate, seeing who belongs to it and choosing who follows."""

import pytest
from playwright.sync_api import expect

from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.models import Membership, MembershipRole, Organisation

from .factories import MembershipFactory, OrganisationFactory
from .test_import_browser import animator_page  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_animator_merges_a_duplicate_and_carries_only_the_person_ticked(animator_page):  # noqa: F811
    page = animator_page
    keep, remove = OrganisationFactory(name="Les Amis du Terril"), OrganisationFactory(name="Amis du terril")
    proposer = MembershipFactory(organisation=remove, role=MembershipRole.EDITOR,
                                 user=UserFactory(email="proposeur@example.org")).user
    colleague = MembershipFactory(organisation=remove, user=UserFactory(email="collegue@example.org")).user

    page.goto(f"{page.base_url}/organisations/doublons/fusionner/?garder={keep.pk}&retirer={remove.pk}")
    people = page.locator("#merge-people")
    expect(people).to_contain_text("proposeur@example.org")
    expect(people).to_contain_text("Éditeur")
    expect(page.get_by_label("collegue@example.org")).not_to_be_checked()
    expect(page.get_by_label("proposeur@example.org")).not_to_be_checked()
    page.get_by_label("collegue@example.org").check()
    page.get_by_role("button", name="Fusionner").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Les Amis du Terril")
    assert not Organisation.objects.filter(pk=remove.pk).exists()
    assert Membership.objects.get(organisation=keep, user=colleague).role == MembershipRole.MEMBER
    assert not Membership.objects.filter(user=proposer).exists()
