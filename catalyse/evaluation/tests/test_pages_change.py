"""The part-2 pages: who sees what, who may write, forms that keep what was typed, the SROI labelled as an
estimate with its sensitivity table and CSV export, the scorecard, and asking for publication."""

import datetime as dt
from decimal import Decimal

import pytest

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import publication, services_change, services_partnership
from catalyse.evaluation.models import ChangePath, FatItem, JournalEntry, SenseMakingSession, SroiEstimate
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory

from .conftest import make_indicator

pytestmark = pytest.mark.django_db
BASE = "/initiatives/alliance-evaluee/evaluation"
PAGES = ["chemins", "sroi", "craintes", "seances", "bilan"]
SROI_FORM = {
    "title": "Estimation 2025", "investment": "4000", "discount_rate": "25", "sensitivity_step": "10", "notes": "",
    "investment_note": "", "effets-TOTAL_FORMS": "1", "effets-INITIAL_FORMS": "0", "effets-MIN_NUM_FORMS": "1",
    "effets-MAX_NUM_FORMS": "20", "effets-0-name": "Retour à l'emploi", "effets-0-quantity": "10",
    "effets-0-proxy": "1000", "effets-0-proxy_source": "Étude régionale", "effets-0-deadweight": "20",
    "effets-0-attribution": "25", "effets-0-displacement": "10", "effets-0-drop_off": "50", "effets-0-duration": "3",
}


@pytest.fixture
def content(initiative, member, org):
    path = services_change.change_path_create(initiative=initiative, actor_name="La mairie",
                                              outcome_challenge="Elle associe les habitants.",
                                              markers=[("expect", "Elle invite les habitants")])
    services_change.journal_entry_create(path=path, marker=path.markers.get(), observed_on=dt.date(2024, 5, 1),
                                         status="partly", observed_change="Une première invitation.")
    publication.publication_request(member, path)
    services_change.change_path_create(initiative=initiative, actor_name="Chemin interne",
                                       outcome_challenge="Privé.")
    services_change.fat_item_create(initiative=initiative, organisation=org, kind="fear", text="Crainte interne")
    services_change.session_create(initiative=initiative, held_on=dt.date(2024, 6, 1), title="Revue interne",
                                   participants=[org], disagreements=[{"subject": "Compter les contrats courts",
                                                                       "positions": "Oui / Non"}])
    make_indicator(initiative, name="Indicateur publié", is_public=True)
    return path


@pytest.mark.parametrize("page", PAGES)
def test_visitors_see_the_pages_of_a_public_initiative_without_private_items_nor_forms(client, content, page):
    response = client.get(f"{BASE}/{page}/")
    assert response.status_code == 200
    text = response.content.decode()
    for private in ("Chemin interne", "Crainte interne", "Revue interne"):
        assert private not in text
    assert 'name="action"' not in text


def test_visitors_see_the_published_path_and_partners_everything(client, content, member):
    assert "La mairie" in client.get(f"{BASE}/chemins/").content.decode()
    client.force_login(member)
    text = client.get(f"{BASE}/chemins/").content.decode()
    assert "Chemin interne" in text and 'value="path"' in text
    assert "Crainte interne" in client.get(f"{BASE}/craintes/").content.decode()
    sessions = client.get(f"{BASE}/seances/").content.decode()
    assert "Revue interne" in sessions and "Compter les contrats courts" in sessions


@pytest.mark.parametrize("page", PAGES)
def test_a_private_initiatives_pages_are_404_to_others(client, initiative, outsider, page):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    assert client.get(f"{BASE}/{page}/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"{BASE}/{page}/").status_code == 404


@pytest.mark.parametrize("page", ["chemins", "sroi", "craintes", "seances"])
def test_non_partners_cannot_write(client, initiative, outsider, page):
    rival = MembershipFactory().user
    PartnershipFactory(organisation=rival.memberships.get().organisation)
    for user in (outsider, rival):
        client.force_login(user)
        assert client.post(f"{BASE}/{page}/", {"action": "path"}).status_code == 403
    client.logout()
    assert client.post(f"{BASE}/{page}/", {"action": "path"}).status_code == 403


def test_a_partner_adds_a_path_with_markers_then_journals_it(client, initiative, member):
    client.force_login(member)
    response = client.post(f"{BASE}/chemins/", {"action": "path", "actor_name": "Les bailleurs",
                                                "outcome_challenge": "Ils associent les habitants.",
                                                "expect": "Ils viennent\nIls écoutent", "like": "",
                                                "love": "Ils paient"})
    assert response.status_code == 302
    path = ChangePath.objects.get(actor_name="Les bailleurs")
    assert [m.level for m in path.markers.all()] == ["expect", "expect", "love"]
    marker = path.markers.first()
    prefix = f"path{path.pk}"
    response = client.post(f"{BASE}/chemins/", {"action": f"journal-{path.pk}", f"{prefix}-marker": marker.pk,
                                                f"{prefix}-observed_on": "2025-01-10", f"{prefix}-status": "fully",
                                                f"{prefix}-observed_change": "Ils sont venus."})
    assert response.status_code == 302
    assert JournalEntry.objects.get(path=path).status == "fully"
    assert "Pleinement" in client.get(f"{BASE}/chemins/").content.decode()


def test_a_journal_entry_refused_comes_back_with_its_message_and_what_was_typed(client, initiative, member):
    client.force_login(member)
    path = services_change.change_path_create(initiative=initiative, actor_name="La mairie",
                                              outcome_challenge="x", markers=[("expect", "Elle invite")])
    prefix = f"path{path.pk}"
    response = client.post(f"{BASE}/chemins/", {"action": f"journal-{path.pk}", f"{prefix}-marker":
                                                path.markers.get().pk, f"{prefix}-observed_on": "2025-01-10",
                                                f"{prefix}-status": "", f"{prefix}-observed_change": "Texte gardé"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dites où en est le marqueur" in text and "Texte gardé" in text
    assert not JournalEntry.objects.exists()


def test_the_sroi_form_computes_an_estimate_labelled_as_such_without_saving(client, initiative, member):
    client.force_login(member)
    response = client.post(f"{BASE}/sroi/", SROI_FORM | {"compute": "1"})
    text = response.content.decode()
    assert response.status_code == 200 and "1,68" in text and "Estimation" in text
    assert "6\u00a0739,20\u00a0€" in text  # French grouping and decimal comma
    assert "Sensibilité" in text
    assert not SroiEstimate.objects.exists()


def test_the_sroi_form_saves_and_the_csv_documents_every_assumption(client, initiative, member):
    client.force_login(member)
    assert client.post(f"{BASE}/sroi/", SROI_FORM | {"save": "1"}).status_code == 302
    estimate = SroiEstimate.objects.get()
    assert estimate.discount_rate == Decimal("0.25") and estimate.outcomes.get().deadweight == Decimal("0.2")
    response = client.get(f"{BASE}/sroi/{estimate.pk}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    csv = b"".join(response.streaming_content).decode()
    assert "estimation" in csv.splitlines()[1]
    assert "Étude régionale" in csv and "1.6848" in csv and "effet d'aubaine" in csv and "sensibilite" in csv


def test_a_bad_sroi_input_is_a_clear_error_that_keeps_the_form(client, initiative, member):
    client.force_login(member)
    response = client.post(f"{BASE}/sroi/", SROI_FORM | {"investment": "0", "effets-0-deadweight": "120",
                                                         "compute": "1"})
    text = response.content.decode()
    assert response.status_code == 200 and "errorlist" in text and "Retour à l&#x27;emploi" in text


def test_a_partner_records_a_fear_and_turns_it_into_a_rule(client, initiative, member, org):
    client.force_login(member)
    client.post(f"{BASE}/craintes/", {"action": "item", "organisation": org.pk, "kind": "fear",
                                      "text": "Être dépossédé"})
    item = FatItem.objects.get()
    response = client.post(f"{BASE}/craintes/", {"action": f"transform-{item.pk}", f"item{item.pk}-becomes": "rule",
                                                 f"item{item.pk}-rule_text": "Chacun garde la main sur ses données."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.rule.text == "Chacun garde la main sur ses données."


def test_a_partner_records_a_session_with_a_disagreement(client, initiative, member, org):
    client.force_login(member)
    response = client.post(f"{BASE}/seances/", {"action": "session", "held_on": "2025-02-01", "title": "Revue",
                                                "participants": [org.pk], "disagreement_subject": "Le rythme",
                                                "disagreement_positions": "Trop lent / Juste bien"})
    assert response.status_code == 302
    assert SenseMakingSession.objects.get().disagreements.get().subject == "Le rythme"


def test_the_scorecard_combines_families_mobilisation_maturity_paths_and_sroi(client, content, initiative, member,
                                                                              org):
    services_partnership.engagement_level_set(initiative=initiative, organisation=org, level=4,
                                              period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
    wave = services_partnership.maturity_wave_open(initiative=initiative, title="Vague 2024",
                                                   held_on=dt.date(2024, 6, 1))
    for level in (1, 4):
        services_partnership.maturity_response_add(wave=wave, organisation=org,
                                                   answers={axis["code"]: level for axis in wave.axes})
    services_change.sroi_estimate_create(initiative=initiative, title="Estimation 2024", investment=1000,
                                         discount_rate="0.035", outcomes=[{"name": "Emploi", "quantity": 1,
                                                                           "proxy": 2000, "proxy_source": "Étude"}])
    client.force_login(member)
    text = client.get(f"{BASE}/bilan/").content.decode()
    for part in ("Performance", "Innovation", "Confiance", "Indicateur publié", "Mobilisation des partenaires",
                 "Vague 2024", "désaccord", "La mairie", "0 + 1 / 1", "Estimation 2024", "1,93"):
        assert part in text, part


def test_asking_for_publication_from_the_page_publishes_an_item_about_no_partner(client, initiative, member):
    path = services_change.change_path_create(initiative=initiative, actor_name="Les écoles", outcome_challenge="x")
    client.force_login(member)
    response = client.post(f"{BASE}/publication/chemin/{path.pk}/", {"action": "request"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}/chemins/#chemin-{path.pk}"
    path.refresh_from_db()
    assert path.is_public


def test_an_item_about_partner_b_waits_for_b_on_the_page(client, initiative, member):
    partner_b = OrganisationFactory(name="Partenaire B")
    PartnershipFactory(initiative=initiative, organisation=partner_b)
    b_person = MembershipFactory(organisation=partner_b).user
    path = services_change.change_path_create(initiative=initiative, organisation=partner_b, outcome_challenge="x")
    client.force_login(member)
    client.post(f"{BASE}/publication/chemin/{path.pk}/", {"action": "request"})
    path.refresh_from_db()
    assert not path.is_public
    assert "En attente de l'accord de" in client.get(f"{BASE}/chemins/").content.decode()
    client.force_login(b_person)
    client.post(f"{BASE}/publication/chemin/{path.pk}/", {"action": "approve"})
    path.refresh_from_db()
    assert path.is_public
