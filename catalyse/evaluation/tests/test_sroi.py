"""The SROI calculator against a hand-computed example, its sensitivity table, and refused inputs.

The example: 10 people, 1 000 € a year each; deadweight 20 %, attribution 25 %, displacement 10 %; the effect
halves every year (drop-off 50 %) over 3 years; discount rate 25 % (exact binary powers: 1.25, 1.5625, 1.953125);
investment 4 000 €.

    year 1 = 10 × 1000 × 0.8 × 0.75 × 0.9 = 5 400     discounted: 5 400 / 1.25     = 4 320
    year 2 = 5 400 × 0.5               = 2 700     discounted: 2 700 / 1.5625   = 1 728
    year 3 = 5 400 × 0.25              = 1 350     discounted: 1 350 / 1.953125 =   691.2
    present value = 6 739.2; ratio = 6 739.2 / 4 000 = 1.6848
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from catalyse.evaluation import services_change, sroi

D = Decimal
EXAMPLE = {"name": "Retour à l'emploi", "quantity": 10, "proxy": 1000, "proxy_source": "Coût évité d'une année de "
           "chômage (étude régionale 2023)", "deadweight": "0.2", "attribution": "0.25", "displacement": "0.1",
           "drop_off": "0.5", "duration": 3}


def example_inputs(**changes) -> sroi.Inputs:
    outcome = sroi.outcome_make(**(EXAMPLE | changes))
    return sroi.inputs_make(outcomes=[outcome], discount_rate="0.25", investment=4000)


def test_the_formula_matches_the_hand_computed_example_with_drop_off_and_discounting():
    result = sroi.estimate(example_inputs())
    assert result.outcomes[0].yearly == (D(5400), D(2700), D(1350))
    assert result.present_value == D("6739.2")
    assert result.investment == D(4000)
    assert result.net_present_value == D("2739.2")
    assert result.ratio == D("1.6848")
    assert result.label == "estimation"


def test_outcomes_add_up_before_dividing_by_the_investment():
    second = sroi.outcome_make(name="Lien social", quantity=4, proxy=250, proxy_source="Enquête", duration=1)
    inputs = sroi.inputs_make(outcomes=[sroi.outcome_make(**EXAMPLE), second], discount_rate="0.25",
                              investment=4000)
    assert sroi.estimate(inputs).present_value == D("6739.2") + D(1000) / D("1.25")


def test_without_discounting_nor_drop_off_the_value_is_years_times_year_one():
    inputs = example_inputs(drop_off=0)
    inputs = sroi.inputs_make(outcomes=inputs.outcomes, discount_rate=0, investment=4000)
    assert sroi.estimate(inputs).present_value == D(5400) * 3


def test_sensitivity_moves_each_assumption_one_at_a_time():
    rows = {(row.assumption, row.outcome): row for row in sroi.sensitivity(example_inputs(), "0.1")}
    assert {name for name, _outcome in rows} == {"quantity", "proxy", "deadweight", "attribution", "displacement",
                                                 "drop_off", "duration", "discount_rate"}
    deadweight = rows["deadweight", "Retour à l'emploi"]
    assert (deadweight.low, deadweight.high) == (D("0.1"), D("0.3"))
    # 10 % of deadweight instead of 20 %: every year is 0.9 / 0.8 = 1.125 times larger.
    assert deadweight.ratio_low == D("1.6848") * D("1.125")
    assert deadweight.ratio_high == D("1.6848") * D("0.7") / D("0.8")
    quantity = rows["quantity", "Retour à l'emploi"]
    assert (quantity.low, quantity.high) == (D(9), D(11))
    assert quantity.ratio_high == D("1.6848") * D("1.1")
    duration = rows["duration", "Retour à l'emploi"]
    assert (duration.low, duration.high) == (2, 4)
    assert duration.ratio_low == (D(4320) + D(1728)) / D(4000)
    rate = rows["discount_rate", ""]
    assert rate.ratio_low > D("1.6848") > rate.ratio_high


def test_sensitivity_keeps_rates_between_zero_and_one():
    rows = {row.assumption: row for row in sroi.sensitivity(example_inputs(displacement=0, drop_off=1), "0.25")}
    assert rows["displacement"].low == 0
    assert rows["drop_off"].high == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"deadweight": "1.2"}, "deadweight"),
    ({"attribution": -0.1}, "attribution"),
    ({"drop_off": "N/A"}, "drop_off"),
    ({"quantity": -3}, "quantity"),
    ({"proxy_source": " "}, "proxy_source"),
    ({"duration": 0}, "duration"),
    ({"duration": "2.5"}, "duration"),
    ({"name": ""}, "name"),
])
def test_bad_outcome_inputs_are_clear_errors(change, field):
    with pytest.raises(ValidationError) as error:
        sroi.outcome_make(**(EXAMPLE | change))
    assert field in error.value.message_dict


@pytest.mark.parametrize(("change", "field"), [
    ({"investment": 0}, "investment"),
    ({"investment": -10}, "investment"),
    ({"discount_rate": "1.5"}, "discount_rate"),
    ({"outcomes": []}, "outcomes"),
])
def test_bad_estimate_inputs_are_clear_errors(change, field):
    values = {"outcomes": [sroi.outcome_make(**EXAMPLE)], "discount_rate": "0.035", "investment": 1000}
    with pytest.raises(ValidationError) as error:
        sroi.inputs_make(**(values | change))
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_a_saved_estimate_gives_back_the_same_figures(initiative, member):
    estimate = services_change.sroi_estimate_create(
        initiative=initiative, title="Estimation 2025", outcomes=[EXAMPLE], discount_rate="0.25", investment=4000,
        estimated_on=dt.date(2025, 6, 30), created_by=member)
    result = sroi.estimate(services_change.sroi_inputs(estimate))
    assert result.ratio == D("1.6848")
    assert estimate.outcomes.get().proxy_source.startswith("Coût évité")


@pytest.mark.django_db
def test_a_bad_outcome_names_its_position(initiative):
    with pytest.raises(ValidationError) as error:
        services_change.sroi_estimate_create(initiative=initiative, title="Estimation", discount_rate="0.035",
                                             investment=1000, outcomes=[EXAMPLE, EXAMPLE | {"attribution": 2}])
    assert "outcomes[2].attribution" in error.value.message_dict


RATES = st.decimals(min_value=0, max_value=1, places=2)
POSITIVE = st.decimals(min_value=0, max_value=10**6, places=2)


@given(quantity=POSITIVE, proxy=POSITIVE, deadweight=RATES, attribution=RATES, drop_off=RATES,
       rate=RATES, duration=st.integers(1, 15), step=st.decimals(min_value="0.01", max_value=1, places=2))
@settings(max_examples=60, deadline=None)
def test_more_deadweight_or_discounting_never_raises_the_ratio(quantity, proxy, deadweight, attribution, drop_off,
                                                               rate, duration, step):
    outcome = sroi.outcome_make(name="Effet", quantity=quantity, proxy=proxy, proxy_source="Étude",
                                deadweight=deadweight, attribution=attribution, drop_off=drop_off, duration=duration)
    inputs = sroi.inputs_make(outcomes=[outcome], discount_rate=rate, investment=1000)
    result = sroi.estimate(inputs)
    assert result.present_value >= 0
    assert result.present_value <= sum(result.outcomes[0].yearly)  # discounting only lowers
    for row in sroi.sensitivity(inputs, step):
        if row.assumption in {"deadweight", "attribution", "displacement", "drop_off", "discount_rate"}:
            assert row.ratio_low >= row.ratio_high  # a larger rate never raises the ratio
        else:
            assert row.ratio_low <= row.ratio_high
