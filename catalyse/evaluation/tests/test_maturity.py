"""Cooperation maturity in waves: the questionnaire, the answers' rules and the statistics, by hand.

Wave 1: A's two respondents disagree on trust (1 and 4), B answers 3; on shared language they answer 2, 2, 3.
  trust: n 3, mean 8/3, min 1, max 4, spread √(14/9) ≈ 1.2472 (population), no consensus (4 − 1 > 1)
  language: mean 7/3, spread √(2/9) ≈ 0.4714, consensus
  A alone on trust: mean 2.5, spread 1.5, no consensus. Wave 2 trust 3, 3, 4: mean 10/3, change +2/3."""

import math

import pytest
from django.core.exceptions import ValidationError

from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.evaluation import publication
from catalyse.evaluation import queries_partnership as q
from catalyse.evaluation import services_partnership as s
from catalyse.evaluation.models import MaturityResponse
from catalyse.initiatives.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
CODES = [axis["code"] for axis in q.DEFAULT_MATURITY_AXES]


def answers(**levels):
    return {code: 2 for code in CODES} | levels


@pytest.fixture
def two(initiative):
    a, b = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    for org in (a, b):
        PartnershipFactory(initiative=initiative, organisation=org)
    return a, b


def _wave(initiative, a, b, title, held_on, trust, language):
    wave = s.maturity_wave_open(initiative=initiative, title=title, held_on=held_on)
    for org, t, lang, who in [(a, trust[0], language[0], "directrice"), (a, trust[1], language[1], "animateur"),
                              (b, trust[2], language[2], "chargée de mission")]:
        s.maturity_response_add(wave=wave, organisation=org, respondent=who,
                                answers=answers(confiance=t, langage=lang))
    return wave


def _results(wave):
    return q.wave_results(wave, MaturityResponse.objects.filter(wave=wave).select_related("organisation"))


def _axis(stats, code):
    return next(st for st in stats if st.code == code)


def test_default_questionnaire_has_six_axes_of_four_described_levels(initiative):
    axes = q.questionnaire_axes(initiative)
    assert len(axes) == 6 and all(len(axis["levels"]) == 4 for axis in axes)


def test_wave_statistics_by_hand(initiative, two):
    results = _results(_wave(initiative, *two, "Vague 1", "2024-03-01", trust=(1, 4, 3), language=(2, 2, 3)))

    trust = _axis(results.alliance, "confiance")
    assert (trust.n, trust.min, trust.max, trust.consensus) == (3, 1, 4, False)
    assert trust.mean == pytest.approx(8 / 3)
    assert trust.spread == pytest.approx(math.sqrt(14 / 9)) == pytest.approx(1.2472, abs=1e-4)
    language = _axis(results.alliance, "langage")
    assert language.mean == pytest.approx(7 / 3) and language.consensus is True
    assert language.spread == pytest.approx(math.sqrt(2 / 9))
    others = _axis(results.alliance, "gouvernance")
    assert (others.n, others.mean, others.spread, others.consensus) == (3, 2, 0, True)

    (org_a, a_stats), (org_b, b_stats) = results.by_partner
    assert (org_a.name, org_b.name) == ("A", "B")
    a_trust = _axis(a_stats, "confiance")
    assert (a_trust.n, a_trust.mean, a_trust.spread, a_trust.consensus) == (2, 2.5, 1.5, False)
    assert _axis(b_stats, "confiance").n == 1 and _axis(b_stats, "confiance").spread == 0


def test_change_between_waves(initiative, two):
    first = _results(_wave(initiative, *two, "Vague 1", "2024-03-01", trust=(1, 4, 3), language=(2, 2, 3)))
    second = _results(_wave(initiative, *two, "Vague 2", "2025-03-01", trust=(3, 3, 4), language=(2, 2, 3)))
    change = q.wave_change(first.alliance, second.alliance)
    assert change["confiance"] == pytest.approx(2 / 3)
    assert change["langage"] == 0


def test_an_axis_without_answers_has_no_figures():
    stats = q.axis_stats([{"code": "x", "label": "X", "levels": ["a", "b"]}], [])
    assert (stats[0].n, stats[0].mean, stats[0].spread, stats[0].consensus) == (0, None, None, None)


@pytest.mark.parametrize("bad", [answers(confiance=5), answers(confiance=0), answers(confiance="trois"),
                                 answers(confiance=2.5), answers(confiance=True), {"confiance": 2},
                                 answers(inconnu=2)])
def test_bad_answers_are_refused(initiative, two, bad):
    wave = s.maturity_wave_open(initiative=initiative, title="Vague", held_on="2024-03-01")
    with pytest.raises(ValidationError):
        s.maturity_response_add(wave=wave, organisation=two[0], answers=bad)
    assert not MaturityResponse.objects.exists()


def test_a_wave_keeps_the_axes_it_was_asked_with(initiative, two):
    wave = s.maturity_wave_open(initiative=initiative, title="Vague", held_on="2024-03-01")
    s.maturity_questionnaire_set(initiative=initiative, axes=[
        {"code": c, "label": c.title(), "levels": ["bas", "haut"]} for c in ("un", "deux", "trois")])
    wave.refresh_from_db()
    assert [axis["code"] for axis in wave.axes] == CODES
    assert [axis["code"] for axis in q.questionnaire_axes(initiative)] == ["un", "deux", "trois"]


def test_questionnaire_needs_three_axes_with_described_levels(initiative):
    with pytest.raises(ValidationError):
        s.maturity_questionnaire_set(initiative=initiative, axes=[{"code": "a", "label": "A", "levels": ["x", "y"]}])
    with pytest.raises(ValidationError):
        s.maturity_questionnaire_set(initiative=initiative, axes=[
            {"code": c, "label": c, "levels": ["x", ""]} for c in "abc"])


def test_a_wave_is_published_once_every_answering_partner_approves(initiative, two, member):
    from catalyse.actors.tests.factories import MembershipFactory

    a, b = two
    wave = _wave(initiative, a, b, "Vague 1", "2024-03-01", trust=(1, 4, 3), language=(2, 2, 3))
    publication.publication_request(member, wave)
    assert {org.name for org in publication.status(wave).waiting_for} == {"A", "B"}
    publication.publication_approve(MembershipFactory(organisation=a).user, wave)
    assert not wave.is_public
    publication.publication_approve(MembershipFactory(organisation=b).user, wave)
    assert wave.is_public
