import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from catalyse.actors.models import Organisation, Profile, PublicationStatus, Scope, Trade
from catalyse.actors.queries import network_stats
from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.search.outbox import outbox_process

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("browse_path")]  # SQL and search-index paths


@pytest.fixture
def network(browse_path):
    trades = list(Trade.objects.all())
    a = OrganisationFactory(profile=Profile.PUBLIC_ACTOR, joined_on=dt.date(2019, 5, 1))
    a.trades.set(trades[:2])
    OrganisationFactory(profile=Profile.COMPANY, joined_on=dt.date(2021, 1, 1), head_office=commune("13055"))
    OrganisationFactory(scope=Scope.NATIONAL, profile=Profile.NATIONAL_NETWORK, joined_on=dt.date(2021, 3, 1),
                        head_office=commune("97411"))
    OrganisationFactory(head_office=None)  # no head office, no joining date
    OrganisationFactory(is_catalyst=False)  # known to the network, not a member
    OrganisationFactory(status=PublicationStatus.PENDING)  # not published yet
    if browse_path == "index":
        outbox_process()  # what the worker does within two seconds


def catalysts():
    return Organisation.objects.filter(is_catalyst=True, status=PublicationStatus.PUBLISHED)


def test_counts_match_the_database(network):
    stats = network_stats()
    assert stats["catalysts"] == catalysts().count() == 4
    for p in stats["profiles"]:
        assert p["count"] == catalysts().filter(profile=p["code"]).count()
    assert {s["code"]: s["count"] for s in stats["scopes"]} == {"local": 3, "national": 1}
    assert {s["code"]: s["share"] for s in stats["scopes"]} == {"local": 75.0, "national": 25.0}
    assert sum(1 for t in stats["trades"] if t["count"] == 1) == 2


def test_regions_and_overseas(network):
    stats = network_stats()
    regions = {r["code"]: r for r in stats["regions"]}
    assert regions["32"]["count"] == 1 and regions["93"]["count"] == 1
    assert regions["04"]["overseas"] and not regions["32"]["overseas"]
    assert stats["overseas"]["count"] == 1 and stats["unlocated"] == 1 and stats["metropole"]["count"] == 2


def test_growth_is_cumulative_by_year_joined_with_empty_years(network):
    growth = network_stats()["growth"]
    assert growth == [
        {"year": 2019, "joined": 1, "cumulative": 1},
        {"year": 2020, "joined": 0, "cumulative": 1},
        {"year": 2021, "joined": 2, "cumulative": 3},
    ]
    assert network_stats()["joined_unknown"] == 1


def test_an_empty_network_gives_zeros_not_errors(client):
    stats = network_stats()
    assert stats["catalysts"] == 0 and stats["growth"] == [] and stats["scopes"][0]["share"] == 0
    assert client.get("/reseau/").status_code == 200


def test_the_api_returns_the_same_numbers(client, network):
    assert client.get("/api/v1/stats/network").json() == network_stats()


def test_the_page_shows_each_chart_with_its_table(client, network):
    html = client.get("/reseau/").content.decode()
    assert html.count('role="img"') == 6 and html.count('class="table chart-table"') == 6
    assert "Catalyseurs par profil" in html and "Réseau national" in html
    start = html.index("<svg", html.index("chart-svg"))
    ET.fromstring(html[start:html.index("</svg>", start) + 6])  # noqa: S314 - our own page
