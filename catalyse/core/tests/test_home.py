"""The home page: blocks registered by the apps, in their order, with figures that match the database and
calls to action that signed-out visitors can follow."""

import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from catalyse.actors.models import Organisation, Profile, PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.core import registry
from catalyse.core.cache_version import DataVersion
from catalyse.initiatives.models import Initiative, Theme, Visibility
from catalyse.initiatives.models import PublicationStatus as InitiativePublication
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Home blocks are cached for visitors: each test starts from an empty cache."""
    cache.clear()


def test_home_blocks_come_in_order_then_by_app_and_name(monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "_HOME_BLOCKS", {})
    monkeypatch.setattr(registry, "render_to_string", lambda template, context: f"<p>{template}</p>")
    seen = []

    def context(name):
        def read(request):
            seen.append(name)
            return None if name == "empty" else {}

        return read

    events, actors = SimpleNamespace(label="events"), SimpleNamespace(label="actors")
    registry.register_home_block(events, "upcoming", "upcoming.html", context("upcoming"), order=40)
    registry.register_home_block(actors, "map", "map.html", context("map"), order=20)
    registry.register_home_block(actors, "empty", "empty.html", context("empty"), order=5)
    registry.register_home_block(events, "calendar", "calendar.html", context("calendar"), order=40)
    registry.register_home_block(actors, "zmap", "zmap.html", context("zmap"), order=40)
    registry.register_home_block(actors, "map", "map2.html", context("map"), order=60)  # replaces the first

    request = RequestFactory().get("/")
    request.user = SimpleNamespace(is_authenticated=False)
    blocks = registry.home_blocks(request)
    # Equal orders fall back to app then name; a block whose context is None is left out.
    assert [b.key for b in blocks] == ["actors-zmap", "events-calendar", "events-upcoming", "actors-map"]
    assert str(blocks[-1].html) == "<p>map2.html</p>"
    assert "empty" in seen


@pytest.mark.parametrize("public", [False, True])
def test_home_blocks_are_cached_per_audience_under_their_data_versions(monkeypatch, public):
    monkeypatch.setattr(registry, "_HOME_BLOCKS", {})
    monkeypatch.setattr(registry, "render_to_string", lambda template, context: f"<p>{context['n']}</p>")
    calls = []

    def context(request):
        calls.append(request.user.is_authenticated)
        return {"n": len(calls)}

    first, second = DataVersion("test:home:first"), DataVersion("test:home:second")
    registry.register_home_block(
        SimpleNamespace(label="notes"), "latest", "t.html", context, versions=[first, second], public=public
    )

    def html(signed_in: bool) -> str:
        request = RequestFactory().get("/")
        request.user = SimpleNamespace(is_authenticated=signed_in, pk=7, is_active=True)
        return str(registry.home_blocks(request)[0].html)

    assert html(False) == html(False) == "<p>1</p>"  # visitors share one copy
    # Signed-in people share it only when the block is the same for everyone.
    assert html(True) == ("<p>1</p>" if public else "<p>2</p>")
    second.bump()  # any of the versions moving renders the block again
    assert html(False) == ("<p>2</p>" if public else "<p>3</p>")


def _figure(html: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}">([^<]+)<', html)
    assert match, name
    return int(re.sub(r"\D", "", match[1]))


@pytest.fixture
def network(db, territories):
    emploi = Theme.objects.get(code="emploi")
    orgs = [
        OrganisationFactory(profile=Profile.PUBLIC_ACTOR),
        OrganisationFactory(head_office=commune("13055")),
        OrganisationFactory(is_catalyst=False, head_office=commune("97411")),
    ]
    OrganisationFactory(status=PublicationStatus.PENDING, head_office=commune("75056"))  # not public
    wide = InitiativeFactory(title="Alliance la plus large")
    wide.themes.add(emploi)
    for org in orgs:
        PartnershipFactory(initiative=wide, organisation=org)
    InitiativeFactory(title="Initiative récente")
    InitiativeFactory(title="Initiative réservée", visibility=Visibility.PARTNERS)
    InitiativeFactory(title="Initiative en attente", publication=InitiativePublication.PENDING)
    return orgs


@pytest.mark.usefixtures("browse_path")
def test_figures_match_the_database(client, network):
    html = client.get("/").content.decode()
    published = Organisation.objects.filter(status=PublicationStatus.PUBLISHED)
    assert _figure(html, "catalysts") == published.filter(is_catalyst=True).count() == 2
    assert _figure(html, "organisations") == published.count() == 3
    public = Initiative.objects.filter(visibility=Visibility.PUBLIC, publication=InitiativePublication.PUBLISHED)
    assert _figure(html, "initiatives") == public.count() == 2
    # Pas-de-Calais, Bouches-du-Rhône, La Réunion; Paris is only an unpublished organisation's.
    assert _figure(html, "departements") == 3 and _figure(html, "regions") == 3
    for code in Profile.values:
        count = published.filter(profile=code).count()
        assert (f'data-profile="{code}">{count}<' in html) == bool(count), code


def test_home_shows_public_initiatives_only_with_cards_and_entry_points(client, network):
    html = client.get("/").content.decode()
    assert "Alliance la plus large" in html and "Initiative récente" in html
    assert "Initiative réservée" not in html and "Initiative en attente" not in html
    assert 'class="cover-placeholder"' in html  # no cover: a placeholder in the themes' colours
    assert "?theme=emploi" in html  # entry by theme
    assert "/territoires/region/32/" in html  # entry by région
    assert 'href="/carte/"' in html


def test_a_change_shows_at_once_to_visitors(client, network):
    assert _figure(client.get("/").content.decode(), "initiatives") == 2
    InitiativeFactory(title="Une nouvelle initiative")
    html = client.get("/").content.decode()
    assert _figure(html, "initiatives") == 3 and "Une nouvelle initiative" in html


def test_calls_to_action_lead_signed_out_visitors_to_sign_in_first(client, db, territories):
    html = client.get("/").content.decode()
    assert 'href="/compte/inscription/"' in html
    assert 'href="/compte/connexion/?next=/organisations/nouvelle/"' in html
    assert 'href="/compte/connexion/?next=/initiatives/nouvelle/"' in html


def test_an_empty_network_counts_in_french(client, db, territories):
    html = client.get("/").content.decode()
    assert _figure(html, "initiatives") == 0
    assert "initiative racontée" in html and "initiatives racontées" not in html  # 0 is singular in French


def test_signed_in_people_go_straight_to_the_forms(client, member):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "/compte/inscription/" not in html
    assert 'href="/organisations/nouvelle/"' in html and 'href="/initiatives/nouvelle/"' in html


def test_the_design_page_shows_every_component(client, animator, territories):
    client.force_login(animator)
    html = client.get("/design/").content.decode()
    for component in (
        "couleurs",
        "typographie",
        "icones",
        "boutons",
        "badges",
        "odd",
        "cartes",
        "chiffres",
        "formulaires",
        "tableau",
        "fiche",
    ):
        assert f'id="composant-{component}"' in html
    assert html.count('class="sdg sdg-') == 17 + 4 and "Pas de pauvreté" in html


def test_the_design_page_is_open_in_debug(client, settings, db):
    settings.DEBUG = True
    assert client.get("/design/").status_code == 200
