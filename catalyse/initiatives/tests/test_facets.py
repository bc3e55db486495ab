"""Facet counts agree with plain ORM counts of the same filtered set."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.actors.models import Profile
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.initiatives import queries
from catalyse.initiatives.models import Initiative, Stage, Status, Theme
from catalyse.search.outbox import outbox_process
from catalyse.territories.models import Territory

from .factories import InitiativeFactory, PartnershipFactory


@pytest.fixture
def bank(db, browse_path):
    """Four initiatives; on the index path, indexed (what the worker does within two seconds)."""
    company = OrganisationFactory(profile=Profile.COMPANY)
    public = OrganisationFactory(profile=Profile.PUBLIC_ACTOR)
    loos = Territory.objects.get(level="commune", code="62528")
    lens_dep = Territory.objects.get(level="departement", code="62")
    nord = Territory.objects.get(level="departement", code="59")
    emploi, sante = Theme.objects.get(code="emploi"), Theme.objects.get(code="sante")
    specs = [
        (Stage.EMERGENCE, Status.ACTIVE, [loos], [emploi], [8], [company, company]),
        (Stage.ESSAIMAGE, Status.ENDED, [lens_dep, loos], [emploi, sante], [3, 8], [public]),
        (Stage.ESSAIMAGE, Status.ACTIVE, [nord], [sante], [3], [company, public]),
        (Stage.EXPERIMENTATION, Status.PAUSED, [], [], [], []),
    ]
    for stage, status, places, themes, sdgs, partners in specs:
        initiative = InitiativeFactory(stage=stage, status=status)
        initiative.territories.set(places)
        initiative.themes.set(themes)
        initiative.sdgs.set(sdgs)
        for org in partners:
            PartnershipFactory(initiative=initiative, organisation=org)
    outbox_process()


def facet(facets, name):
    return {value: n for value, _, n in facets[name] if n}


def test_facet_counts_match_orm_counts_without_filters(bank):
    facets = queries.initiative_facets(AnonymousUser(), queries.InitiativeFilters())
    assert facet(facets, "theme") == {"emploi": 2, "sante": 2}
    assert facet(facets, "sdg") == {"8": 2, "3": 2}
    assert facet(facets, "stage") == {"emergence": 1, "essaimage": 2, "experimentation": 1}
    assert facet(facets, "profile") == {"entreprise": 2, "public": 2}  # distinct initiatives, not partnerships
    assert facet(facets, "region") == {"region:32": 3}  # Hauts-de-France: one initiative with two places counts once
    assert facet(facets, "departement") == {"departement:62": 2, "departement:59": 1}


def test_facets_are_disjunctive_and_agree_with_the_filtered_list(bank):
    filters = queries.InitiativeFilters.from_params(QueryDict("theme=sante&stade=essaimage"))
    facets = queries.initiative_facets(AnonymousUser(), filters)
    listed = queries.initiatives_list(AnonymousUser(), filters)
    assert len(listed) == 2
    # Theme counts ignore the theme filter but apply the stage filter.
    assert facet(facets, "theme") == {
        code: Initiative.objects.filter(stage="essaimage", themes__code=code).count() for code in ("emploi", "sante")}
    assert facet(facets, "stage") == {"essaimage": 2}
    assert sum(facet(facets, "status").values()) == len(listed)


def test_territory_filter_includes_everything_below(bank):
    filters = queries.InitiativeFilters.from_params(QueryDict("territoire=region:32"))
    assert len(queries.initiatives_list(AnonymousUser(), filters)) == 3
    filters = queries.InitiativeFilters.from_params(QueryDict("territoire=departement:62"))
    assert len(queries.initiatives_list(AnonymousUser(), filters)) == 2


def test_profile_filter_lists_each_initiative_once(bank):
    filters = queries.InitiativeFilters.from_params(QueryDict("profil=entreprise"))
    titles = [i.title for i in queries.initiatives_list(AnonymousUser(), filters)[:50]]
    assert len(titles) == len(set(titles)) == 2


def test_invalid_values_are_dropped_by_pages_and_rejected_in_strict_mode(bank):
    lenient = queries.InitiativeFilters.from_params(QueryDict("theme=inconnu&odd=99&stade=x"))
    assert (lenient.themes, lenient.sdgs, lenient.stages) == ([], [], [])
    with pytest.raises(queries.InvalidFilter, match="odd"):
        queries.InitiativeFilters.from_params(QueryDict("odd=99"), strict=True)


def test_list_page_shows_facet_counts_and_keeps_state_in_the_url(bank, client):
    body = client.get("/initiatives/?theme=sante&stade=essaimage").content.decode()
    assert "2 initiatives" in body
    assert 'name="theme" value="sante" checked' in body
    assert 'href="?theme=sante&amp;stade=essaimage&amp;territoire=departement%3A62"' in body


def test_cached_facets_follow_new_initiatives_and_partners(bank, client, animator):
    from catalyse.initiatives import services

    def theme_count(body: str) -> str:
        return body.split('value="sante"')[1].split("</label>")[0]

    assert "(2)" in theme_count(client.get("/initiatives/").content.decode())
    initiative = services.initiative_create(created_by=animator, title="Nouvelle", summary="s",
                                            themes=Theme.objects.filter(code="sante"))
    assert "(3)" in theme_count(client.get("/initiatives/").content.decode())
    before = client.get("/initiatives/?profil=reseau_national").content.decode()
    services.partnership_add(initiative=initiative, organisation=OrganisationFactory(profile=Profile.NATIONAL_NETWORK))
    assert client.get("/initiatives/?profil=reseau_national").content.decode() != before


def test_profile_facet_follows_partners_and_their_organisations(bank, animator):
    from catalyse.actors.models import Organisation
    from catalyse.actors.services import organisation_update
    from catalyse.initiatives import services

    def through_partnerships() -> dict[str, int]:
        counts = {p: Initiative.objects.filter(partnerships__organisation__profile=p).distinct().count()
                  for p in Profile.values}
        return {p: n for p, n in counts.items() if n}

    def shown() -> dict[str, int]:
        outbox_process()
        return facet(queries.initiative_facets(AnonymousUser(), queries.InitiativeFilters()), "profile")

    services.partnership_add(initiative=Initiative.objects.get(stage=Stage.EXPERIMENTATION),
                             organisation=OrganisationFactory(profile=Profile.ACADEMIC))
    assert shown() == through_partnerships() == {"entreprise": 2, "public": 2, "academique": 1}
    company = Organisation.objects.get(profile=Profile.COMPANY)
    organisation_update(company, profile=Profile.SUPPORT)
    assert shown() == through_partnerships() == {"accompagnateur": 2, "public": 2, "academique": 1}
    company.delete()
    assert shown() == through_partnerships() == {"public": 2, "academique": 1}
