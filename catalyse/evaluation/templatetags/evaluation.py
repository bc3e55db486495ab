"""Numbers of the evaluation pages in French (decimal comma, no trailing zeros of the stored four decimals)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_LABELS = {"no_data": _("Pas encore de mesure validée"), "behind": _("En retard"),
                 "on_track": _("Dans les temps"), "ahead": _("En avance")}


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    return number_format(Decimal(format(value.normalize(), "f")), use_l10n=True, force_grouping=True)


@register.filter
def percent(value) -> str:
    """A fraction (0.54) as a percentage ("54 %")."""
    if value is None:
        return "—"
    return f"{number_format(round(Decimal(value) * 100), use_l10n=True)}\u202f%"


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def level_label(level, version) -> str:
    """A scale level with its label: "2. moyen"."""
    if level is None:
        return "—"
    levels = version.scale_levels
    return f"{level}. {levels[int(level) - 1]}" if 1 <= int(level) <= len(levels) else str(level)


@register.filter
def measurement_value(measurement) -> str:
    if measurement.level is not None:
        return level_label(measurement.level, measurement.version)
    return number(measurement.value)


@register.filter
def item(sequence, index) -> str:
    """sequence[index], or the index itself when out of range (a tier whose name was removed)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return str(index)


@register.inclusion_tag("evaluation/_nav.html", takes_context=True)
def evaluation_nav(context, tab: str) -> dict:
    """The evaluation section's tab bar, one for every page: only the tabs the viewer may use.

    Views that already computed the roles pass them in their context; the others are asked here.
    """
    from catalyse.evaluation.permissions import can_contribute, can_review

    initiative = context["initiative"]
    user = context["request"].user
    contribute = context.get("can_contribute")
    review = context.get("can_review")
    return {
        "initiative": initiative, "tab": tab,
        "can_contribute": can_contribute(user, initiative) if contribute is None else contribute,
        "can_review": can_review(user, initiative) if review is None else review,
    }
