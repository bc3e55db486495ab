import dataclasses
import re
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from catalyse.actors.models import Organisation, Profile, PublicationStatus
from catalyse.actors.queries import OrganisationFilters
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.actors.views import FACETS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("browse_path")]  # SQL and search-index paths
URL = reverse("actors:list")


def facet(response, key) -> dict[str, int]:
    group = next(g for g in response.context["facet_groups"] if g["key"] == key)
    return {o["value"]: o["count"] for o in group["options"]}


def names(response) -> list[str]:
    return [o.name for o in response.context["page"]]


def test_directory_lists_published_organisations_with_their_count(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(directory)
    assert "6 organisations" in response.content.decode()


def test_facet_counts_match_database_counts(client, directory):
    response = client.get(URL)
    published = Organisation.objects.filter(status=PublicationStatus.PUBLISHED)
    for value, count in facet(response, "profile").items():
        assert count == published.filter(profile=value).count(), value
    for value, count in facet(response, "trade").items():
        assert count == published.filter(trades__code=value).count(), value
    for value, count in facet(response, "scope").items():
        assert count == published.filter(scope=value).count(), value
    for value, count in facet(response, "region").items():
        assert count == published.filter(region__code=value).count(), value
    for value, count in facet(response, "departement").items():
        assert count == published.filter(departement__code=value).count(), value
    for value, count in facet(response, "typology").items():
        assert count == published.filter(typology=value).count(), value


def test_choosing_a_profile_filters_results_and_other_facets_but_keeps_every_profile_count(client, directory):
    everything = facet(client.get(URL), "profile")
    response = client.get(URL, {"profil": Profile.GENERAL_INTEREST})
    assert sorted(names(response)) == ["Bêta Solidarités", "Épsilon Tiers-lieu"]
    assert facet(response, "profile") == everything  # disjunctive: a profile's count ignores the profile filter
    chosen = Organisation.objects.filter(profile=Profile.GENERAL_INTEREST)
    for value, count in facet(response, "trade").items():
        assert count == chosen.filter(trades__code=value).count(), value


def test_several_values_of_one_facet_add_up_and_facets_combine(client, directory):
    both = client.get(URL + "?profil=interet_general&profil=academique")
    assert sorted(names(both)) == ["Bêta Solidarités", "Delta Université", "Épsilon Tiers-lieu"]
    combined = client.get(URL + "?profil=interet_general&profil=academique&region=11")
    assert names(combined) == ["Bêta Solidarités"]


def test_trade_scope_departement_typology_and_catalyst_filters(client, directory):
    assert sorted(names(client.get(URL, {"metier": "gestion-lieu"}))) == ["Gamma Coopérative", "Épsilon Tiers-lieu"]
    assert sorted(names(client.get(URL, {"perimetre": "national"}))) == ["Gamma Coopérative", "Zêta Réseau"]
    assert names(client.get(URL, {"departement": "974"})) == ["Delta Université"]
    assert names(client.get(URL, {"typologie": "outre_mer"})) == ["Delta Université"]
    assert "Gamma Coopérative" not in names(client.get(URL, {"catalyseur": "1"}))
    assert sorted(names(client.get(URL, {"catalyseur": "0"}))) == ["Gamma Coopérative", "Zêta Réseau"]


def test_text_filter_ignores_accents_and_case(client, directory):
    assert names(client.get(URL, {"q": "epsilon tiers"})) == ["Épsilon Tiers-lieu"]
    assert names(client.get(URL, {"q": "ZÊTA"})) == ["Zêta Réseau"]


def test_territory_filter_finds_organisations_acting_below_it_and_can_be_removed(client, directory):
    response = client.get(URL, {"territoire": "region:32"})
    assert sorted(names(response)) == ["Alliance de Loos", "Épsilon Tiers-lieu"]
    html = response.content.decode()
    assert "Hauts-de-France" in html and "retirer ce filtre" in html
    assert 'name="territoire" value="region:32"' in html


def test_unknown_filter_values_are_ignored_rather_than_failing(client, directory):
    response = client.get(URL, {"profil": "nimporte", "metier": "x", "tri": "bad", "page": "zzz",
                                "territoire": "nowhere:0", "catalyseur": "peut-etre"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(directory)


def test_pagination_splits_results_in_pages_of_twenty(client, db):
    for i in range(25):
        OrganisationFactory(name=f"Organisation {i:02d}")
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(first.context["page"]) == 20 and len(second.context["page"]) == 5
    assert names(second)[0] == "Organisation 20"
    assert 'href="?page=2"' in first.content.decode()
    assert len(client.get(URL, {"page": 99}).context["page"]) == 5  # past the end: the last page


def test_next_page_link_keeps_the_filters(client, db):
    for i in range(21):
        OrganisationFactory(name=f"Association {i:02d}", profile=Profile.GENERAL_INTEREST)
    html = client.get(URL, {"profil": "interet_general", "tri": "-maj"}).content.decode()
    assert 'href="?profil=interet_general&amp;tri=-maj&amp;page=2"' in html


def test_sort_by_most_recent_joining(client, directory):
    import datetime

    for year, org in zip((2016, 2020, 2018), directory[:3], strict=True):
        org.joined_on = datetime.date(year, 1, 1)
        org.save()
    assert names(client.get(URL, {"tri": "-adhesion"}))[:3] == ["Bêta Solidarités", "Gamma Coopérative",
                                                                 "Alliance de Loos"]
    assert names(client.get(URL))[0] == "Alliance de Loos"


def test_page_state_is_in_the_url_and_drawn_back_into_the_form(client, directory):
    html = client.get(URL + "?profil=academique&metier=accompagnement&perimetre=local&q=delta&tri=-maj"
                      ).content.decode()
    assert re.search(r'name="profil" value="academique" checked', html)
    assert re.search(r'name="metier" value="accompagnement" checked', html)
    assert re.search(r'name="perimetre" value="local" checked', html)
    assert not re.search(r'name="profil" value="public" checked', html)
    assert 'value="delta"' in html and '<option value="-maj" selected>' in html
    # A GET form (the state lives in the URL) that the browser does not refill from its own memory.
    assert re.search(r'<form id="directory-filters" class="[^"]*" method="get" autocomplete="off"', html)


def test_a_chosen_value_with_no_result_stays_listed_so_it_can_be_unticked(client, directory):
    response = client.get(URL, {"region": "94", "profil": "public"})
    regions = next(g for g in response.context["facet_groups"] if g["key"] == "region")
    corse = next(o for o in regions["options"] if o["value"] == "94")
    assert corse == {"value": "94", "label": "Corse", "count": 0, "checked": True}


def test_export_links_carry_the_selection_without_the_page(client, directory):
    html = client.get(URL + "?profil=academique&page=1").content.decode()
    for fmt in ("csv", "xlsx", "geojson", "jsonld", "gogocarto", "json"):
        assert f'href="/organisations/export.{fmt}?profil=academique"' in html


def test_facets_are_accessible_fieldsets_with_labelled_inputs(client, directory):
    html = client.get(URL).content.decode()
    assert html.count("<fieldset") == html.count("<legend>") >= 7
    for input_id in re.findall(r'<input type="(?:checkbox|radio)" id="([^"]+)"', html):
        assert f'<label for="{input_id}">' in html, input_id
    assert '<label for="directory-q">' in html and '<label for="directory-sort">' in html


def test_pending_organisations_never_appear_for_visitors_or_outsiders(client, directory, pending_org, outsider):
    for user in (None, outsider):
        if user:
            client.force_login(user)
        response = client.get(URL)
        assert pending_org.name not in names(response)
        assert sum(facet(response, "profile").values()) == len(directory)
        assert pending_org.name not in client.get(URL, {"q": "attente"}).content.decode()


def test_members_see_their_own_unpublished_organisation_marked_as_such(client, directory, member, org):
    org.status = PublicationStatus.DRAFT
    org.save()
    client.force_login(member)
    response = client.get(URL)
    assert org.name in names(response)
    assert "Brouillon" in response.content.decode()
    client.logout()
    assert org.name not in names(client.get(URL))


def test_animators_see_every_organisation(client, directory, pending_org, animator):
    client.force_login(animator)
    assert pending_org.name in names(client.get(URL))


def test_navigation_links_to_the_directory(client, db):
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_visitors_cached_counts_follow_a_change_at_once(client, directory):
    assert sum(facet(client.get(URL), "profile").values()) == len(directory)
    OrganisationFactory(name="Nouvelle venue", profile=Profile.COMPANY)
    response = client.get(URL)
    assert facet(response, "profile")["entreprise"] == 2
    assert response.context["page"].paginator.count == len(directory) + 1


def test_signed_in_members_counts_include_their_unpublished_organisation(client, directory, member, org):
    client.get(URL)  # a visitor's view is cached
    org.status = PublicationStatus.DRAFT
    org.save()
    client.force_login(member)
    assert sum(facet(client.get(URL), "profile").values()) == len(directory) + 1


@pytest.mark.parametrize("params", [
    {"profil": "interet_general"},
    {"metier": ["accompagnement", "gestion-lieu"], "perimetre": "local"},
    {"region": ["11", "32"], "catalyseur": "1"},
    {"departement": "59", "profil": ["interet_general", "public"]},
    {"territoire": "region:32", "metier": "dialogue-territorial"},
])
def test_facet_counts_equal_brute_force_counts_under_filter_combinations(client, directory, pending_org, params):
    """Each facet value counts the published organisations matching every other filter and that value."""
    response = client.get(URL, params)
    filters = OrganisationFilters.from_params(QueryDict(urlencode(params, doseq=True)))
    for key, _, _, attribute, _ in FACETS:
        others = dataclasses.replace(filters, **{attribute: "" if attribute == "scope" else []})
        matching = Organisation.objects.filter(status=PublicationStatus.PUBLISHED).filter(others.conditions())
        expected = {
            "profile": lambda o: [o.profile], "trade": lambda o: [t.code for t in o.trades.all()],
            "scope": lambda o: [o.scope], "region": lambda o: [o.region.code] if o.region else [],
            "departement": lambda o: [o.departement.code] if o.departement else [],
            "typology": lambda o: [o.typology] if o.typology else [],
        }[key]
        brute = Counter(v for o in matching for v in expected(o))
        assert {v: n for v, n in facet(response, key).items() if n} == dict(brute), (key, params)
    assert response.context["page"].paginator.count == Organisation.objects.filter(
        status=PublicationStatus.PUBLISHED).filter(filters.conditions()).count()
