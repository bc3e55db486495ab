"""The counts kept per territory equal what the directory's and the bank's own filters count, for every
audience, after every kind of write (create, edit territories, change visibility, merge, delete, import)."""

from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Count

from catalyse.accounts.models import Role
from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.importers import TEMPLATE_COLUMNS
from catalyse.actors.models import Organisation, Profile, PublicationStatus, Trade
from catalyse.actors.queries import OrganisationFilters, organisations_for
from catalyse.actors.services import organisation_merge, organisation_propose, organisation_update
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory, commune
from catalyse.actors.tests.import_helpers import run_import, siret, write_file
from catalyse.initiatives.models import Initiative, Theme, Visibility
from catalyse.initiatives.models import Role as PartnerRole
from catalyse.initiatives.queries import InitiativeFilters, initiatives_for
from catalyse.initiatives.services import initiative_create, initiative_update, partnership_add
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.observatory import counts
from catalyse.observatory.models import Counted, Share, TerritoryCount
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Kind, Level, Territory

pytestmark = pytest.mark.django_db
TOTAL = counts.TOTAL


def direct_organisations(user, territory) -> Counter:
    found = organisations_for(user, OrganisationFilters(territory=territory))
    out = Counter({(TOTAL, ""): found.count(), ("catalyst", ""): found.filter(is_catalyst=True).count()})
    out.update({("profile", p): n for p, n in found.values_list("profile").annotate(n=Count("pk")).order_by()})
    out.update({("trade", str(t)): n for t, n in Organisation.trades.through.objects.filter(
        organisation_id__in=found.values("pk")).values_list("trade_id").annotate(
        n=Count("organisation_id", distinct=True)).order_by()})
    return +out


def direct_initiatives(user, territory) -> Counter:
    found = initiatives_for(user, InitiativeFilters(territory=territory))
    out = Counter({(TOTAL, ""): found.count()})
    out.update({("theme", str(t)): n for t, n in Initiative.themes.through.objects.filter(
        initiative_id__in=found.values("pk")).values_list("theme_id").annotate(
        n=Count("initiative_id", distinct=True)).order_by()})
    return +out


def place(key: str) -> Territory:
    return territory_from_key(key)


@pytest.fixture
def people(db):
    """A visitor, a member close to a few restricted objects, a member close to none, an animator."""
    close = UserFactory(display_name="Membre proche")
    return {"visitor": AnonymousUser(), "close": close, "outsider": UserFactory(display_name="Membre éloigné"),
            "animator": UserFactory(role=Role.ANIMATOR)}


def assert_counts_true(people) -> None:
    """Every territory where something counts, and its neighbours, read by each person: kept = direct."""
    ids = set(TerritoryCount.objects.values_list("territory_id", flat=True))
    ids |= {place(k).pk for k in ("region:11", "departement:59", "commune:59350", "epci:200093201")}
    territories = list(Territory.objects.filter(pk__in=ids))
    for name, user in people.items():
        for territory in territories:
            kept = counts.territory_counts(user, Counted.ORGANISATION, territory)
            assert kept == direct_organisations(user, territory), (name, territory.key, "organisations")
            kept = counts.territory_counts(user, Counted.INITIATIVE, territory)
            assert kept == direct_initiatives(user, territory), (name, territory.key, "initiatives")
        totals = counts.totals(user, Counted.ORGANISATION, territories)
        assert all(totals[t.pk] == direct_organisations(user, t)[(TOTAL, "")] for t in territories), name


def assert_rebuild_agrees() -> None:
    def table():
        return {row[:-1]: row[-1] for row in TerritoryCount.objects.exclude(count=0).values_list(
            "territory_id", "kind", "audience", "dimension", "key", "count")}

    def shares():
        return {(s.kind, s.object_id): (s.audience, s.territories, s.keys) for s in Share.objects.all()}

    before, before_shares = table(), shares()
    call_command("observatory_counts_rebuild", stdout=None)
    assert table() == before
    assert shares() == before_shares


def test_counts_follow_every_write_for_every_audience(people, tmp_path):
    close, animator = people["close"], people["animator"]
    trades = list(Trade.objects.order_by("position"))
    themes = list(Theme.objects.order_by("position"))
    former = Territory.objects.filter(level=Level.COMMUNE).exclude(kind=Kind.CURRENT).exclude(
        parent_commune=None).first()

    # Created: through the services, by a factory, by a member (pending), at a former commune, nowhere.
    mines = organisation_propose(user=animator, name="Alliance des Mines", profile=Profile.SUPPORT,
                                 head_office=commune("62528"), trades=trades[:2],
                                 territories=[place("epci:200033579")])
    pending = organisation_propose(user=close, name="Collectif en attente", profile=Profile.COMPANY,
                                   head_office=commune("59350"), territories=[place("departement:62")])
    formerly = OrganisationFactory(name="Foyer rural", head_office=former, status=PublicationStatus.DRAFT,
                                   is_catalyst=False)
    formerly.trades.set(trades[2:])
    national = OrganisationFactory(name="Réseau national", head_office=None, profile=Profile.NATIONAL_NETWORK)
    national.territories.set([place("region:11"), place("commune:75056")])
    garden = initiative_create(created_by=animator, title="Jardin partagé", summary="Un jardin.",
                               territories=[commune("62528"), place("departement:62")], themes=themes[:2])
    secret = initiative_create(created_by=animator, title="Projet confidentiel", summary="Entre partenaires.",
                               visibility=Visibility.PARTNERS, territories=[commune("59350")], themes=themes[1:3])
    partnership_add(initiative=secret, organisation=pending, role=PartnerRole.PORTEUR)
    proposed = initiative_create(created_by=close, title="Idée d'un membre", summary="En attente.",
                                 territories=[place("epci:200093201")], themes=themes[:1])
    members_only = InitiativeFactory(title="Pour les membres", visibility=Visibility.MEMBERS)
    members_only.territories.add(commune("62510"))
    members_only.themes.add(themes[3])
    assert_counts_true(people)

    # Edited: territories, head office, trades, themes, profile, catalyst.
    organisation_update(mines, territories=[place("departement:59"), former], trades=trades[1:])
    organisation_update(pending, head_office=commune("75056"), profile=Profile.ACADEMIC, is_catalyst=True)
    formerly.territories.add(place("epci:200093201"))
    initiative_update(garden, territories=[place("region:84")], themes=themes[2:4])
    members_only.territories.remove(commune("62510"))
    members_only.territories.add(place("commune:59350"))
    assert_counts_true(people)

    # Visibility and publication.
    organisation_update(formerly, status=PublicationStatus.PUBLISHED)
    organisation_update(pending, status=PublicationStatus.PUBLISHED)
    initiative_update(garden, visibility=Visibility.MEMBERS)
    initiative_update(members_only, visibility=Visibility.PARTNERS)
    initiative_update(proposed, publication=PublicationStatus.PUBLISHED)
    MembershipFactory(user=close, organisation=mines)  # and a new closeness: the member's own share
    organisation_update(mines, status=PublicationStatus.PENDING)
    assert_counts_true(people)

    # Merged, deleted, a trade and a theme removed from the lists.
    organisation_merge(keep=mines, remove=formerly, merged_by=animator)
    national.delete()
    members_only.delete()
    trades[3].delete()
    themes[0].delete()
    assert_counts_true(people)

    # Imported in bulk (a batch creates, the next run updates the same rows).
    header = ";".join(c for c, _a, _d in TEMPLATE_COLUMNS)

    def row(**values) -> str:
        return ";".join(values.get(c, "") for c, _a, _d in TEMPLATE_COLUMNS)

    first = [header, row(nom="Ressourcerie importée", siret=siret(7), code_insee_siege="62510",
                         metiers="accompagnement", territoires="departement:59"),
             row(nom="Tiers-lieu importé", code_insee_siege="59350", catalyseur="oui")]
    run_import(write_file(tmp_path, "orgs.csv", first), "csv", created_by=animator)
    assert_counts_true(people)
    second = [header, row(nom="Ressourcerie importée", siret=siret(7), code_insee_siege="75056",
                          metiers="dialogue-territorial", territoires="region:84"),
              row(nom="Tiers-lieu importé", code_insee_siege="59350", catalyseur="non", territoires="commune:62528")]
    done = run_import(write_file(tmp_path, "orgs2.csv", second), "csv", created_by=animator)
    assert (done.updated, done.errors) == (2, 0), done.error_sample
    assert Organisation.objects.filter(name="Ressourcerie importée").get().head_office == commune("75056")
    assert_counts_true(people)
    assert_rebuild_agrees()


def test_an_organisation_counts_once_where_its_head_office_and_action_meet(people):
    org = OrganisationFactory(head_office=commune("62528"))
    org.territories.set([place("departement:62"), commune("62510"), place("epci:200033579")])
    for key in ("region:32", "departement:62", "commune:62528", "commune:62510"):
        assert counts.territory_counts(people["visitor"], Counted.ORGANISATION, place(key))[(TOTAL, "")] == 1, key
    assert counts.territory_counts(people["visitor"], Counted.ORGANISATION, place("region:11")) == Counter()


def test_visitors_see_no_count_of_what_they_may_not_see(people):
    OrganisationFactory(head_office=commune("62528"), status=PublicationStatus.PENDING)
    InitiativeFactory(visibility=Visibility.MEMBERS).territories.add(commune("62528"))
    region = place("region:32")
    assert counts.territory_counts(people["visitor"], Counted.ORGANISATION, region) == Counter()
    assert counts.territory_counts(people["visitor"], Counted.INITIATIVE, region) == Counter()
    assert counts.territory_counts(people["outsider"], Counted.INITIATIVE, region)[(TOTAL, "")] == 1
    assert counts.territory_counts(people["animator"], Counted.ORGANISATION, region)[(TOTAL, "")] == 1


def test_the_generator_leaves_the_counts_true(people):
    call_command("generate", organisations=300, initiatives=40, seed=3, stdout=None)
    assert Share.objects.filter(kind=Counted.ORGANISATION).count() == Organisation.objects.count()
    region = Territory.objects.filter(level=Level.REGION, pk__in=Organisation.objects.values("region")).first()
    for user in people.values():
        assert counts.territory_counts(user, Counted.ORGANISATION, region) == direct_organisations(user, region)
        assert counts.territory_counts(user, Counted.INITIATIVE, region) == direct_initiatives(user, region)
    call_command("generate", clear=True, stdout=None)
    assert counts.territory_counts(people["animator"], Counted.ORGANISATION, region) == Counter()


def assert_first_like_the_plain_query(people, kind: str, want: int, first, plain) -> None:
    """In the région (walked: most of the network) and in Liévin (gathered: a few), for everyone."""
    for key, large in (("region:32", True), ("commune:62510", False)):
        territory = place(key)
        for name, user in people.items():
            total = counts.territory_counts(user, kind, territory)[(TOTAL, "")]
            assert (total * total > want * counts.network_size(user, kind)) == large, (key, name)
            assert first(user, territory, total) == plain(user, territory), (key, name)


@pytest.mark.parametrize("chunk", [64, 3])
def test_a_large_territory_names_the_same_organisations_as_the_directory_would(people, chunk, monkeypatch):
    """A région holding most of the network is walked in the list's order (network_blocks._walk) rather than
    sorted: the names shown, catalysts first, are those of the plain query, for every audience."""
    from catalyse.observatory import network_blocks
    from catalyse.observatory.network_blocks import NAMES_ORDER, SOME, _some_organisations

    monkeypatch.setattr(network_blocks, "WALK_MIN", chunk)  # 3: the walk reads several pages

    statuses = [PublicationStatus.PUBLISHED] * 4 + [PublicationStatus.PENDING, PublicationStatus.DRAFT]
    for n in range(24):
        office = commune("62528") if n % 3 else commune("59350")
        org = OrganisationFactory(name=f"Structure {n:02d}", head_office=office, is_catalyst=n % 4 == 0,
                                  status=statuses[n % len(statuses)])
        if n % 5 == 0:
            org.territories.set([place("commune:62510")])
        if n in (4, 5):
            MembershipFactory(user=people["close"], organisation=org)
    outside = OrganisationFactory(name="A Paris", head_office=commune("75056"))
    outside.territories.set([place("region:32")])  # acting only: listed too
    OrganisationFactory(name="A Lyon", head_office=commune("69123"))
    assert_first_like_the_plain_query(people, Counted.ORGANISATION, SOME, _some_organisations, lambda user, t: list(
        organisations_for(user, OrganisationFilters(territory=t)).order_by(*NAMES_ORDER)[:SOME]))


@pytest.mark.parametrize("chunk", [64, 2])
def test_the_latest_initiatives_are_those_the_bank_would_list_first(people, chunk, monkeypatch):
    """Walked in a large territory, gathered in a small one: the same initiatives as the bank's own order."""
    from catalyse.observatory import network_blocks
    from catalyse.observatory.network_blocks import LATEST, LATEST_ORDER, _latest_initiatives

    monkeypatch.setattr(network_blocks, "WALK_MIN", chunk)
    kinds = [(PublicationStatus.PUBLISHED, Visibility.PUBLIC)] * 3 + [
        (PublicationStatus.PUBLISHED, Visibility.MEMBERS), (PublicationStatus.PUBLISHED, Visibility.PARTNERS),
        (PublicationStatus.PENDING, Visibility.PUBLIC)]
    for n in range(24):
        publication, visibility = kinds[n % len(kinds)]
        initiative = InitiativeFactory(title=f"Initiative {n:02d}", publication=publication, visibility=visibility,
                                       created_by=people["close"] if n in (4, 5) else None)
        initiative.territories.set([commune("62528") if n % 2 else place("departement:59")])
    InitiativeFactory(title="Ailleurs").territories.set([commune("75056")])
    InitiativeFactory(title="À Liévin").territories.set([commune("62510")])
    InitiativeFactory(title="À Liévin, pour les membres", visibility=Visibility.MEMBERS).territories.set(
        [commune("62510")])
    assert_first_like_the_plain_query(people, Counted.INITIATIVE, LATEST, _latest_initiatives, lambda user, t: list(
        initiatives_for(user, InitiativeFilters(territory=t)).order_by(*LATEST_ORDER)[:LATEST]))
