"""The initiative's evaluation dashboard, as each person sees it: insiders everything, others what is published."""

import datetime as dt

import pytest
from django.urls import reverse

from catalyse.actors.tests.factories import MembershipFactory
from catalyse.evaluation import services
from catalyse.evaluation.models import Evidence, EvidenceKind
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def framework(initiative):
    """A published key indicator with one approved value and a draft, an unpublished one, evidence of both kinds."""
    published = make_indicator(initiative, name="Jeunes accompagnés", key=True, is_public=True)
    approved(published, D(2024, 1, 21), value=27)
    services.measurement_create(indicator=published, period_start=D(2024, 1, 25), period_end=D(2024, 1, 25),
                                value=777)
    approved(published, D(2024, 1, 22), value=0).disaggregations.create(dimension="genre", category="filles",
                                                                         value=0)
    secret = make_indicator(initiative, name="Budget interne", is_public=False)
    approved(secret, D(2024, 1, 21), value=3)
    shown = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.VERBATIM, title="Témoignage",
                                    is_public=True)
    hidden = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Note", is_public=False)
    shown.indicators.add(published)
    hidden.indicators.add(published)
    return published, secret


def url(initiative, on="2024-03-01"):
    return reverse("evaluation:dashboard", kwargs={"slug": initiative.slug}) + f"?au={on}"


def get(client, user, address):
    if user is not None:
        client.force_login(user)
    return client.get(address)


@pytest.fixture
def other_partner(db):
    """A partner of another initiative (a member of the network, not a partner of this one)."""
    membership = MembershipFactory()
    PartnershipFactory(organisation=membership.organisation)
    return membership.user


def test_a_partner_sees_every_indicator_key_first_with_progress_and_pending_reviews(client, member, initiative,
                                                                                     framework):
    response = get(client, member, url(initiative))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Jeunes accompagnés") < html.index("Budget interne")  # key indicator first
    assert "non publié" in html and "Mesures à relire ou corriger" in html
    board = response.context["board"]
    assert [b.indicator.name for b in board.boards] == ["Jeunes accompagnés", "Budget interne"]
    key = board.boards[0]
    # latest approved value 0 on 22/01 (the draft 777 does not count); expected 50 after the last target
    assert key.progress.actual == 0 and key.progress.status == "behind"
    assert key.evidence_count == 2 and board.evidence_total == 2
    assert "<svg" in html and "Trajectoire attendue" in html and "genre : filles" in html


@pytest.mark.parametrize("persona", ["visitor", "outsider", "other_partner"])
def test_others_see_only_published_indicators_approved_values_and_published_evidence(
        client, request, persona, initiative, framework):
    user = None if persona == "visitor" else request.getfixturevalue(persona)
    response = get(client, user, url(initiative))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jeunes accompagnés" in html and "Budget interne" not in html
    assert "777" not in html and "Mesures à relire" not in html
    board = response.context["board"]
    assert [b.indicator.name for b in board.boards] == ["Jeunes accompagnés"]
    assert board.boards[0].evidence_count == 1 and board.evidence_total == 1


@pytest.mark.parametrize("persona", ["visitor", "outsider", "other_partner"])
def test_a_partners_only_initiative_dashboard_is_not_found_for_others(client, request, persona, initiative,
                                                                      framework):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    user = None if persona == "visitor" else request.getfixturevalue(persona)
    assert get(client, user, url(initiative)).status_code == 404


def test_the_date_moves_the_situation_and_a_bad_date_falls_back_to_today(client, member, initiative, framework):
    early = get(client, member, url(initiative, "2024-01-10")).context["board"]
    assert early.boards[0].progress.actual is None and early.boards[0].progress.status == "no_data"
    assert get(client, member, url(initiative, "demain")).status_code == 200


def test_an_initiative_without_indicators_says_so(client, member, initiative):
    response = get(client, member, url(initiative))
    assert response.status_code == 200 and "Aucun indicateur à afficher." in response.content.decode()


def test_the_dashboard_costs_a_fixed_number_of_queries(client, member, initiative, framework,
                                                       django_assert_max_num_queries):
    for day in range(1, 28):
        approved(framework[0], D(2023, 1, day), value=day)
    with django_assert_max_num_queries(40):
        get(client, member, url(initiative))
