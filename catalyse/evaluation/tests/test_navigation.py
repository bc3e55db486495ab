"""The evaluation section as one product: one tab bar on every page, tabs by role, shared breadcrumbs, and an
overview whose cost does not grow with the number of indicators."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
SLUG = "alliance-evaluee"

PAGES = [("overview", "overview"), ("dashboard", "dashboard"), ("evidence", "evidence"),
         ("mobilisation", "mobilisation"), ("maturity", "maturity"), ("change_paths", "change_paths"),
         ("fat", "fat"), ("sessions", "sessions"), ("sroi", "sroi"), ("scorecard", "scorecard"),
         ("measurements_import", "measurements_import"), ("review", "review")]


def url(name, *args):
    return reverse(f"evaluation:{name}", args=[SLUG, *args])


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def tabs(html: str) -> str:
    match = re.search(r'<nav class="evaluation-tabs".*?</nav>', html, re.S)
    assert match, "no evaluation tab bar"
    return match.group(0)


@pytest.mark.parametrize("name", [name for name, _ in PAGES])
def test_every_evaluation_page_shows_the_tab_bar_with_itself_current(initiative, lead, name):
    html = client_for(lead).get(url(name)).content.decode()
    bar = tabs(html)
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', bar)
    assert current == [url(name)]
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert reverse("initiatives:list") in crumbs and initiative.get_absolute_url() in crumbs
    assert "Évaluation" in crumbs


def test_the_indicator_sheet_and_forms_sit_under_the_framework_tab(initiative, member):
    indicator = make_indicator(initiative)
    for page in (url("indicator", indicator.pk), url("indicator_create"),
                 url("measurement_create", indicator.pk)):
        bar = tabs(client_for(member).get(page).content.decode())
        assert re.findall(r'<a href="([^"]+)" aria-current="page">', bar) == [url("overview")]


def test_tabs_follow_what_the_viewer_may_do(initiative, member, lead, outsider):
    visitor_bar = tabs(client_for().get(url("overview")).content.decode())
    assert url("review") not in visitor_bar and url("measurements_import") not in visitor_bar
    assert url("sroi") in visitor_bar and url("dashboard") in visitor_bar
    assert url("measurements_import") not in tabs(client_for(outsider).get(url("sroi")).content.decode())
    partner_bar = tabs(client_for(member).get(url("sroi")).content.decode())
    assert url("measurements_import") in partner_bar and url("review") not in partner_bar
    lead_bar = tabs(client_for(lead).get(url("mobilisation")).content.decode())
    assert url("measurements_import") in lead_bar and url("review") in lead_bar


def test_the_overview_query_count_does_not_grow_with_the_indicators(initiative, member,
                                                                   django_assert_max_num_queries):
    client = client_for(member)

    def add_indicators(n):
        for i in range(n):
            indicator = make_indicator(initiative, name=f"Indicateur {initiative.indicators.count()} {i}")
            approved(indicator, dt.date(2024, 1, 5), value=3)
            approved(indicator, dt.date(2024, 1, 9), value=4)

    add_indicators(1)
    client.get(url("overview"))  # warm caches (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url("overview")).status_code == 200
    add_indicators(6)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url("overview")).content.decode()
    assert page.count(url("indicator", initiative.indicators.order_by("pk").last().pk)) >= 1


def test_an_indicator_found_by_search_links_to_its_sheet(initiative, settings, tmp_path):
    from catalyse.evaluation.models import Indicator
    from catalyse.evaluation.search import _indicators

    indicator = make_indicator(initiative, is_public=True)
    [doc] = list(_indicators(Indicator.objects.filter(pk=indicator.pk).values_list("pk", flat=True)))
    assert doc.url == url("indicator", indicator.pk)
