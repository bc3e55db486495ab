"""The SROI calculator (social return on investment), as pure functions over Decimals.

For each outcome:

    value in year 1 = quantity × proxy × (1 − deadweight) × (1 − attribution) × (1 − displacement)
    value in year k = value in year 1 × (1 − drop-off)^(k − 1)
    present value   = Σ value_k / (1 + discount rate)^k, for k = 1 … duration

and for the whole: ratio = Σ present values / investment. The result is an *estimate*: it is as good as its
assumptions, which is why every one of them is kept with the figures and the sensitivity table moves each of
them by a chosen step:

- rates (deadweight, attribution, displacement, drop-off, discount rate) by ± step, in points, kept in 0–1;
- quantity and financial proxy by ± step as a share of their value (× (1 ± step));
- duration by ± 1 year (at least 1).

Bad inputs raise `ValidationError` with the field at fault: rates outside 0–1, negative quantities or proxies,
a duration outside 1–50 years, no outcome, an investment of zero or less.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZERO, ONE = Decimal(0), Decimal(1)
MAX_DURATION = 50
RATES = ("deadweight", "attribution", "displacement", "drop_off")
LABEL = "estimation"  # every result carries it: an SROI ratio is never a measurement


@dataclass(frozen=True)
class Outcome:
    name: str
    quantity: Decimal
    proxy: Decimal  # money value of one unit of the outcome, for one year
    proxy_source: str
    deadweight: Decimal = ZERO  # share that would have happened anyway
    attribution: Decimal = ZERO  # share due to others than the alliance
    displacement: Decimal = ZERO  # share that only moved elsewhere
    drop_off: Decimal = ZERO  # yearly loss of the effect after year 1
    duration: int = 1  # years
    stakeholder: str = ""
    assumptions: str = ""  # how the rates above were estimated


@dataclass(frozen=True)
class Inputs:
    outcomes: tuple[Outcome, ...]
    discount_rate: Decimal
    investment: Decimal


@dataclass(frozen=True)
class OutcomeResult:
    outcome: Outcome
    yearly: tuple[Decimal, ...]  # value in years 1 … duration, before discounting
    present_value: Decimal


@dataclass(frozen=True)
class Result:
    outcomes: tuple[OutcomeResult, ...]
    present_value: Decimal
    investment: Decimal
    net_present_value: Decimal
    ratio: Decimal
    label: str = LABEL


@dataclass(frozen=True)
class SensitivityRow:
    assumption: str  # "deadweight", "quantity", "duration", "discount_rate"…
    outcome: str  # the outcome's name; "" for the discount rate
    base: Decimal
    low: Decimal  # the assumption moved down (clamped to its bounds)
    high: Decimal
    ratio_low: Decimal  # the ratio with the assumption at `low`
    ratio_high: Decimal


def _decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        value = "invalid"
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("« %(value)s » n'est pas un nombre.") % {"value": value}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("« %(value)s » n'est pas un nombre.") % {"value": value}})
    return number


def rate(value: Any, field: str) -> Decimal:
    """A share between 0 and 1 (0.25 for 25 %)."""
    number = _decimal(value, field)
    if not ZERO <= number <= ONE:
        raise ValidationError({field: _("Un taux est compris entre 0 et 1 (0,25 pour 25 %%) : %(value)s.")
                               % {"value": value}})
    return number


def outcome_make(*, name: str, quantity: Any, proxy: Any, proxy_source: str, deadweight: Any = 0,
                 attribution: Any = 0, displacement: Any = 0, drop_off: Any = 0, duration: Any = 1,
                 stakeholder: str = "", assumptions: str = "") -> Outcome:
    """An outcome with its inputs checked (numbers as Decimals, rates in 0–1, a documented proxy)."""
    if not str(name).strip():
        raise ValidationError({"name": _("Nommez l'effet.")})
    quantity, proxy = _decimal(quantity, "quantity"), _decimal(proxy, "proxy")
    if quantity < 0:
        raise ValidationError({"quantity": _("La quantité ne peut pas être négative.")})
    if proxy < 0:
        raise ValidationError({"proxy": _("La valeur financière ne peut pas être négative.")})
    if not str(proxy_source).strip():
        raise ValidationError({"proxy_source": _("Indiquez la source de la valeur financière retenue.")})
    years = _decimal(duration, "duration")
    if years != years.to_integral_value() or not 1 <= years <= MAX_DURATION:
        raise ValidationError({"duration": _("La durée est un nombre entier d'années, de 1 à %(max)s.")
                               % {"max": MAX_DURATION}})
    return Outcome(name=str(name).strip(), quantity=quantity, proxy=proxy, proxy_source=str(proxy_source).strip(),
                   deadweight=rate(deadweight, "deadweight"), attribution=rate(attribution, "attribution"),
                   displacement=rate(displacement, "displacement"), drop_off=rate(drop_off, "drop_off"),
                   duration=int(years), stakeholder=str(stakeholder).strip(), assumptions=str(assumptions).strip())


def inputs_make(*, outcomes: Sequence[Outcome], discount_rate: Any, investment: Any) -> Inputs:
    if not outcomes:
        raise ValidationError({"outcomes": _("Au moins un effet à valoriser.")})
    investment = _decimal(investment, "investment")
    if investment <= 0:
        raise ValidationError({"investment": _("L'investissement doit être supérieur à zéro : le ratio le "
                                               "divise.")})
    return Inputs(outcomes=tuple(outcomes), discount_rate=rate(discount_rate, "discount_rate"),
                  investment=investment)


def yearly_values(outcome: Outcome) -> tuple[Decimal, ...]:
    first = (outcome.quantity * outcome.proxy * (ONE - outcome.deadweight) * (ONE - outcome.attribution)
             * (ONE - outcome.displacement))
    values, value = [], first
    for _year in range(outcome.duration):  # multiplied year after year: Decimal refuses 0 ** 0
        values.append(value)
        value *= ONE - outcome.drop_off
    return tuple(values)


def present_value(outcome: Outcome, discount_rate: Decimal) -> Decimal:
    return sum((value / (ONE + discount_rate) ** year
                for year, value in enumerate(yearly_values(outcome), start=1)), ZERO)


def estimate(inputs: Inputs) -> Result:
    results = tuple(OutcomeResult(outcome, yearly_values(outcome), present_value(outcome, inputs.discount_rate))
                    for outcome in inputs.outcomes)
    total = sum((r.present_value for r in results), ZERO)
    return Result(outcomes=results, present_value=total, investment=inputs.investment,
                  net_present_value=total - inputs.investment, ratio=total / inputs.investment)


def _ratio(inputs: Inputs) -> Decimal:
    return estimate(inputs).ratio


def _moved(inputs: Inputs, index: int, **change) -> Inputs:
    outcomes = list(inputs.outcomes)
    outcomes[index] = replace(outcomes[index], **change)
    return replace(inputs, outcomes=tuple(outcomes))


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def sensitivity(inputs: Inputs, step: Any = Decimal("0.1")) -> list[SensitivityRow]:
    """The ratio with each assumption moved down and up by `step` (see the module's docstring), one at a time."""
    step = _decimal(step, "step")
    if not ZERO < step <= ONE:
        raise ValidationError({"step": _("Le pas de sensibilité est compris entre 0 (exclu) et 1.")})
    rows = []
    for index, outcome in enumerate(inputs.outcomes):
        for name in ("quantity", "proxy"):
            base = getattr(outcome, name)
            low, high = base * (ONE - step), base * (ONE + step)
            rows.append(SensitivityRow(name, outcome.name, base, low, high,
                                       _ratio(_moved(inputs, index, **{name: low})),
                                       _ratio(_moved(inputs, index, **{name: high}))))
        for name in RATES:
            base = getattr(outcome, name)
            low, high = _clamp(base - step), _clamp(base + step)
            rows.append(SensitivityRow(name, outcome.name, base, low, high,
                                       _ratio(_moved(inputs, index, **{name: low})),
                                       _ratio(_moved(inputs, index, **{name: high}))))
        low_years, high_years = max(outcome.duration - 1, 1), min(outcome.duration + 1, MAX_DURATION)
        rows.append(SensitivityRow("duration", outcome.name, Decimal(outcome.duration), Decimal(low_years),
                                   Decimal(high_years), _ratio(_moved(inputs, index, duration=low_years)),
                                   _ratio(_moved(inputs, index, duration=high_years))))
    base = inputs.discount_rate
    low, high = _clamp(base - step), _clamp(base + step)
    rows.append(SensitivityRow("discount_rate", "", base, low, high,
                               _ratio(replace(inputs, discount_rate=low)), _ratio(replace(inputs, discount_rate=high))))
    return rows
