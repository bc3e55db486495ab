"""Writes of the evaluation: framework, objectives, indicators with versioned definitions, measurements and their
review. Every channel (pages, API, imports, demo data) goes through these functions, so the rules hold everywhere:
numbers are numbers, a definition never changes silently, a locked period stays as it was reviewed.

Permission checks (who may write, who may review) belong to the callers, through `evaluation.permissions`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from catalyse.accounts.audit import Action, audit_record
from catalyse.actors.models import Membership, MembershipRole
from catalyse.core.uploads import IMAGE_KINDS, check_document, clean_image
from catalyse.initiatives.models import Initiative, Partnership, Role

from .models import (
    NUMBER,
    Approach,
    Cumulation,
    Direction,
    Disaggregation,
    Evidence,
    EvidenceKind,
    Framework,
    Indicator,
    IndicatorVersion,
    Measure,
    Measurement,
    MeasurementStatus,
    Objective,
    ReasonCategory,
)
from .queries import late_collections
from .results import initiative_results_refresh

# What changes the meaning of the figures: a change of any of these writes a new IndicatorVersion with a reason.
DEFINITION_FIELDS = ("definition", "computation", "measure", "scale_levels", "direction", "cumulation",
                     "baseline_value", "baseline_date", "targets")
# What describes the indicator without changing its figures: changed in place.
SHEET_FIELDS = ("name", "unit", "objective", "owner", "impact_family", "dimension", "sdg_target", "frequency",
                "data_source", "verification", "key", "active", "is_public")
DIMENSION_MAX = Disaggregation._meta.get_field("dimension").max_length
CATEGORY_MAX = Disaggregation._meta.get_field("category").max_length
_LIMIT = Decimal(10) ** (NUMBER["max_digits"] - NUMBER["decimal_places"])
_UNSET: Any = object()


def _number(value: Any, field: str) -> Decimal:
    """A number as a Decimal the database can store. Text such as "N/A" is refused: the scale measure exists
    for qualitative values."""
    if isinstance(value, bool):
        value = "invalid"
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str | float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("« %(value)s » n'est pas un nombre.") % {"value": value}}) from None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ValidationError({field: _("Nombre hors des limites.")})
    return number.quantize(Decimal(1).scaleb(-NUMBER["decimal_places"])).normalize() + 0


def _date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Date attendue au format AAAA-MM-JJ.")}) from None


def _person(user):
    return user if user is not None and user.is_authenticated else None


def _ensure_partner(initiative: Initiative, organisation, field: str) -> None:
    if organisation is not None and not Partnership.objects.filter(initiative=initiative,
                                                                   organisation=organisation).exists():
        raise ValidationError({field: _("Cette organisation n'est pas partenaire de l'initiative.")})


def framework_of(initiative: Initiative) -> Framework:
    framework, _created = Framework.objects.get_or_create(initiative=initiative)
    return framework


# Framework ---------------------------------------------------------------------------------------------------------

@transaction.atomic
def framework_set(*, initiative: Initiative, approach: str | None = None, tier_names: list[str] | None = None,
                  leads=None, actor=None) -> Framework:
    """Set the approach, the names of the objectives' tiers and the evaluation leads (None leaves one as is)."""
    framework = framework_of(initiative)
    changes: dict[str, Any] = {}
    if approach is not None:
        if approach not in Approach.values:
            raise ValidationError({"approach": _("Démarche inconnue.")})
        changes["approach"] = [framework.approach, approach]
        framework.approach = approach
    if tier_names is not None:
        names = [str(name).strip() for name in tier_names]
        if not names or not all(names):
            raise ValidationError({"tier_names": _("Chaque niveau a un nom.")})
        changes["tier_names"] = [framework.tier_names, names]
        framework.tier_names = names
    framework.save()
    if leads is not None:
        framework.leads.set(leads)
        changes["leads"] = sorted(str(user) for user in framework.leads.all())
    audit_record(Action.UPDATE, obj=framework, actor=actor, changes=changes)
    return framework


@transaction.atomic
def framework_lock(*, initiative: Initiative, until: date | None, actor=None) -> Framework:
    """Lock the periods ending on or before `until` (None unlocks): their measurements can no longer be added,
    changed or reviewed."""
    framework = framework_of(initiative)
    before = framework.locked_until
    framework.locked_until = until
    framework.save(update_fields=["locked_until"])
    audit_record(Action.UPDATE, obj=framework, actor=actor,
                 changes={"locked_until": [str(before) if before else None, str(until) if until else None]})
    return framework


def locked_until_of(initiative_id: int) -> date | None:
    return Framework.objects.filter(initiative_id=initiative_id).values_list("locked_until", flat=True).first()


def periods_check_open(locked_until: date | None, *period_ends: date) -> None:
    """Refuse (ValidationError) a period ending on or before the initiative's lock date."""
    if locked_until is not None and any(end <= locked_until for end in period_ends):
        raise ValidationError(_("Les périodes jusqu'au %(date)s sont verrouillées.") % {"date": locked_until})


def _ensure_open(indicator: Indicator, *period_ends: date) -> None:
    periods_check_open(locked_until_of(indicator.initiative_id), *period_ends)


# Objectives --------------------------------------------------------------------------------------------------------

def _objective_clean(objective: Objective) -> None:
    initiative = objective.initiative
    _ensure_partner(initiative, objective.owner, "owner")
    if objective.parent is not None and objective.parent.initiative_id != initiative.pk:
        raise ValidationError({"parent": _("L'objectif parent appartient à une autre initiative.")})
    # The stored ancestors, read from the database: objects in memory may carry a refused edit.
    ancestor_id = objective.parent_id
    while ancestor_id is not None and objective.pk is not None:
        if ancestor_id == objective.pk:
            raise ValidationError({"parent": _("Un objectif ne peut pas dépendre de lui-même.")})
        ancestor_id = Objective.objects.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()
    tiers = len(framework_of(initiative).tier_names)
    if not 0 <= objective.tier < tiers:
        raise ValidationError({"tier": _("Niveau entre 0 et %(max)s.") % {"max": tiers - 1}})
    target = objective.contributes_to
    if target is not None:
        if objective.owner_id is None:
            raise ValidationError({"contributes_to": _("Seul l'objectif d'un partenaire contribue à un objectif "
                                                       "collectif.")})
        if target.initiative_id != initiative.pk or not target.is_collective:
            raise ValidationError({"contributes_to": _("La contribution va à un objectif collectif de la même "
                                                       "initiative.")})
        if not objective.contribution.strip():
            raise ValidationError({"contribution": _("Racontez la contribution.")})
    objective.full_clean()


@transaction.atomic
def objective_create(*, initiative: Initiative, title: str, created_by=None, **fields) -> Objective:
    """A collective objective (no `owner`) or one partner's own; a partner's may declare `contributes_to` a
    collective one, with its `contribution` narrative."""
    objective = Objective(initiative=initiative, title=title, created_by=_person(created_by), **fields)
    _objective_clean(objective)
    objective.save()
    audit_record(Action.CREATE, obj=objective, actor=created_by)
    return objective


@transaction.atomic
def objective_update(objective: Objective, *, actor=None, **fields) -> Objective:
    before = {name: str(getattr(objective, name)) for name in fields}
    for name, value in fields.items():
        setattr(objective, name, value)
    _objective_clean(objective)
    objective.save()
    audit_record(Action.UPDATE, obj=objective, actor=actor,
                 changes={name: [old, str(getattr(objective, name))] for name, old in before.items()
                          if old != str(getattr(objective, name))})
    return objective


# Indicators --------------------------------------------------------------------------------------------------------

def _definition(*, measure: str = Measure.NUMBER, scale_levels=(), direction: str = Direction.INCREASE,
                cumulation: str = Cumulation.NONE, baseline_value=None, baseline_date=None, targets=(),
                definition: str = "", computation: str = "") -> dict[str, Any]:
    """The definition fields checked and normalised (targets sorted by date, numbers as Decimal strings)."""
    if not str(definition).strip():
        raise ValidationError({"definition": _("Dites ce que l'indicateur mesure.")})
    if not str(computation).strip():
        raise ValidationError({"computation": _("Dites comment l'indicateur est calculé.")})
    for field, value, choices in (("measure", measure, Measure), ("direction", direction, Direction),
                                  ("cumulation", cumulation, Cumulation)):
        if value not in choices.values:
            raise ValidationError({field: _("Valeur inconnue : %(value)s.") % {"value": value}})
    levels = [str(label).strip() for label in scale_levels or []]
    if measure == Measure.SCALE:
        if len(levels) < 2 or not all(levels):
            raise ValidationError({"scale_levels": _("Une échelle a au moins deux niveaux, chacun nommé.")})
    else:
        levels = []
    if baseline_value is not None:
        baseline_value = _number(baseline_value, "baseline_value")
        if baseline_date is None:
            raise ValidationError({"baseline_date": _("La valeur de référence est datée.")})
    baseline_date = _date(baseline_date, "baseline_date") if baseline_date is not None else None
    if baseline_value is None and baseline_date is not None:
        raise ValidationError({"baseline_value": _("Une date de référence sans valeur : donnez la valeur, ou "
                                                   "aucune des deux (sans objet).")})
    cleaned = []
    for target in targets or []:
        if not isinstance(target, dict) or "date" not in target or "value" not in target:
            raise ValidationError({"targets": _("Chaque cible a une date et une valeur.")})
        cleaned.append((_date(target["date"], "targets"), _number(target["value"], "targets")))
    if not cleaned:
        raise ValidationError({"targets": _("Au moins une cible datée (la dernière est la cible finale).")})
    cleaned.sort()
    if len({day for day, _value in cleaned}) < len(cleaned):
        raise ValidationError({"targets": _("Deux cibles à la même date.")})
    if baseline_date is not None and cleaned[0][0] <= baseline_date:
        raise ValidationError({"targets": _("Les cibles sont postérieures à la date de référence.")})
    if measure == Measure.SCALE:
        values = [value for _day, value in cleaned] + ([baseline_value] if baseline_value is not None else [])
        if any(value != int(value) or not 1 <= value <= len(levels) for value in values):
            raise ValidationError({"targets": _("Sur une échelle, référence et cibles sont des niveaux de 1 à "
                                                "%(n)s.") % {"n": len(levels)}})
    return {
        "definition": str(definition).strip(), "computation": str(computation).strip(), "measure": measure,
        "scale_levels": levels, "direction": direction, "cumulation": cumulation,
        "baseline_value": baseline_value, "baseline_date": baseline_date,
        "targets": [{"date": day.isoformat(), "value": format(value, "f")} for day, value in cleaned],
    }


def _sheet_clean(indicator: Indicator) -> None:
    _ensure_partner(indicator.initiative, indicator.owner, "owner")
    if indicator.objective is not None and indicator.objective.initiative_id != indicator.initiative_id:
        raise ValidationError({"objective": _("L'objectif appartient à une autre initiative.")})
    indicator.full_clean(exclude=["current_version"])


@transaction.atomic
def indicator_create(*, initiative: Initiative, name: str, definition: str, computation: str, targets,
                     created_by=None, **fields) -> Indicator:
    """Create an indicator and its first definition (version 1). `fields`: the other definition fields
    (measure, scale_levels, direction, cumulation, baseline_value, baseline_date) and the sheet's."""
    definition_fields = {name: fields.pop(name) for name in DEFINITION_FIELDS if name in fields}
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"indicator_create: unknown fields {sorted(unknown)}")
    version = _definition(definition=definition, computation=computation, targets=targets, **definition_fields)
    indicator = Indicator(initiative=initiative, name=name, created_by=_person(created_by), current_version=1,
                          **fields)
    _sheet_clean(indicator)
    indicator.save()
    IndicatorVersion.objects.create(indicator=indicator, number=1, created_by=_person(created_by), **version)
    audit_record(Action.CREATE, obj=indicator, actor=created_by, changes={"version": 1})
    initiative_results_refresh(initiative_ids=[initiative.pk])
    return indicator


def current_version(indicator: Indicator) -> IndicatorVersion:
    return indicator.versions.get(number=indicator.current_version)


def indicator_definition_changes(indicator: Indicator, **fields) -> list[str]:
    """The definition fields (DEFINITION_FIELDS) that `fields` would change, compared as `indicator_update`
    compares them (normalised): the pages ask for the reason of a new version before saving."""
    version = current_version(indicator)
    current = {name: getattr(version, name) for name in DEFINITION_FIELDS}
    proposed = _definition(**(current | {name: fields[name] for name in DEFINITION_FIELDS if name in fields}))
    return [name for name in DEFINITION_FIELDS if proposed[name] != current[name]]


@transaction.atomic
def indicator_update(indicator: Indicator, *, actor=None, reason_category: str = "", reason_text: str = "",
                     decided_on: date | None = None, participants: str = "", **changes) -> Indicator:
    """Change an indicator. Sheet fields (name, unit, owner, key…) change in place; a change of its definition
    (DEFINITION_FIELDS) writes a new version, which needs a reason (a ReasonCategory and a text), and the
    decision's date and participants. Measurements already taken keep the version they were taken under."""
    unknown = set(changes) - set(DEFINITION_FIELDS) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update: unknown fields {sorted(unknown)}")
    # Locked so that two simultaneous revisions cannot both write the next version number.
    indicator.current_version = Indicator.objects.select_for_update().values_list(
        "current_version", flat=True).get(pk=indicator.pk)
    version = current_version(indicator)
    current = {name: getattr(version, name) for name in DEFINITION_FIELDS}
    proposed = _definition(**(current | {name: changes.pop(name) for name in DEFINITION_FIELDS if name in changes}))
    audit: dict[str, Any] = {}
    changed = [name for name in DEFINITION_FIELDS if proposed[name] != current[name]]
    if changed:
        if reason_category not in ReasonCategory.values or not reason_text.strip():
            raise ValidationError({"reason": _("Changer la définition, le calcul, l'échelle, le sens, le cumul, la "
                                               "référence ou les cibles crée une nouvelle version : donnez le motif "
                                               "(catégorie et explication).")})
        IndicatorVersion.objects.create(
            indicator=indicator, number=indicator.current_version + 1, reason_category=reason_category,
            reason_text=reason_text.strip(), decided_on=decided_on or timezone.localdate(),
            participants=participants, created_by=_person(actor), **proposed)
        indicator.current_version += 1
        audit["version"] = [indicator.current_version - 1, indicator.current_version]
        audit["definition_changed"] = changed
    for name, value in changes.items():
        old = getattr(indicator, name)
        if old != value:
            audit[name] = [str(old), str(value)]
        setattr(indicator, name, value)
    _sheet_clean(indicator)
    indicator.save()
    if audit:
        audit_record(Action.UPDATE, obj=indicator, actor=actor, changes=audit)
        initiative_results_refresh(initiative_ids=[indicator.initiative_id])
    return indicator


# Measurements ------------------------------------------------------------------------------------------------------

def measurement_values_clean(version: IndicatorVersion, *, period_start: date, period_end: date, value=None,
                             level=None, disaggregations=()) -> tuple[Decimal | None, list[tuple[str, str, Decimal]]]:
    """The rules every channel shares, checked without the database: the period's order, a level (1..n) on a
    scale and a number otherwise, well-formed disaggregations. Returns the value as stored and the
    disaggregations as (dimension, category, value); raises ValidationError keyed by field. The import calls it
    row by row, the forms and the API through `measurement_create` / `measurement_update`."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("La période finit après avoir commencé.")})
    if version.measure == Measure.SCALE:
        if value is not None:
            raise ValidationError({"value": _("Indicateur sur une échelle : donnez un niveau, pas une valeur.")})
        levels = len(version.scale_levels)
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= levels:
            raise ValidationError({"level": _("Niveau de 1 à %(n)s.") % {"n": levels}})
    else:
        if level is not None:
            raise ValidationError({"level": _("Indicateur chiffré : donnez une valeur, pas un niveau.")})
        if value is None:
            raise ValidationError({"value": _("Valeur manquante.")})
        value = _number(value, "value")
    parts, seen = [], set()
    for part in disaggregations or []:
        if not isinstance(part, dict) or not all(str(part.get(key, "")).strip()
                                                 for key in ("dimension", "category", "value")):
            raise ValidationError({"disaggregations": _("Chaque ventilation a une dimension, une catégorie et une "
                                                        "valeur.")})
        key = (str(part["dimension"]).strip(), str(part["category"]).strip())
        if len(key[0]) > DIMENSION_MAX or len(key[1]) > CATEGORY_MAX:
            raise ValidationError({"disaggregations": _("Ventilation trop longue : %(max_d)s caractères pour la "
                                                        "dimension, %(max_c)s pour la catégorie.")
                                   % {"max_d": DIMENSION_MAX, "max_c": CATEGORY_MAX}})
        if key in seen:
            raise ValidationError({"disaggregations": _("Ventilation en double : %(d)s / %(c)s.")
                                   % {"d": key[0], "c": key[1]}})
        seen.add(key)
        parts.append((*key, _number(part["value"], "disaggregations")))
    return value, parts


def _measurement_clean(measurement: Measurement, version: IndicatorVersion, disaggregations) -> list[Disaggregation]:
    measurement.value, values = measurement_values_clean(
        version, period_start=measurement.period_start, period_end=measurement.period_end, value=measurement.value,
        level=measurement.level, disaggregations=disaggregations)
    parts = [Disaggregation(dimension=dimension, category=category, value=number)
             for dimension, category, number in values]
    measurement.full_clean(exclude=["indicator", "version"])
    for part in parts:
        part.full_clean(exclude=["measurement"])
    return parts


@transaction.atomic
def measurement_create(*, indicator: Indicator, period_start: date, period_end: date, value=None,
                       level: int | None = None, disaggregations=(), comment: str = "", author=None) -> Measurement:
    """A draft measurement under the indicator's current version. `value` for numbers and percentages, `level`
    (1..n) for scales; `disaggregations`: [{dimension, category, value}]. Refused in a locked period."""
    version = current_version(indicator)
    measurement = Measurement(indicator=indicator, version=version, period_start=period_start,
                              period_end=period_end, value=value, level=level, comment=comment,
                              author=_person(author))
    parts = _measurement_clean(measurement, version, disaggregations)
    _ensure_open(indicator, period_end)
    measurement.save()
    for part in parts:
        part.measurement = measurement
    Disaggregation.objects.bulk_create(parts)
    audit_record(Action.CREATE, obj=measurement, actor=author, changes={"status": measurement.status})
    return measurement


@transaction.atomic
def measurement_update(measurement: Measurement, *, actor=None, disaggregations=None, **fields) -> Measurement:
    """Change a draft or returned measurement (a submitted one waits for its review, an approved one is final)."""
    if measurement.status not in {MeasurementStatus.DRAFT, MeasurementStatus.RETURNED}:
        raise ValidationError(_("Seule une mesure en brouillon ou renvoyée peut être modifiée."))
    previous_end = measurement.period_end
    for name, value in fields.items():
        if name not in {"period_start", "period_end", "value", "level", "comment"}:
            raise TypeError(f"measurement_update: unknown field {name}")
        setattr(measurement, name, value)
    current = list(measurement.disaggregations.values("dimension", "category", "value"))
    parts = _measurement_clean(measurement, measurement.version,
                               current if disaggregations is None else disaggregations)
    _ensure_open(measurement.indicator, previous_end, measurement.period_end)
    measurement.save()
    if disaggregations is not None:
        measurement.disaggregations.all().delete()
        for part in parts:
            part.measurement = measurement
        Disaggregation.objects.bulk_create(parts)
    audit_record(Action.UPDATE, obj=measurement, actor=actor, changes={name: str(v) for name, v in fields.items()})
    return measurement


def _move(measurement: Measurement, *, allowed_from: set[str], to: str, actor, note: str | None = None) -> Measurement:
    measurement = Measurement.objects.select_for_update().select_related("indicator").get(pk=measurement.pk)
    if measurement.status not in allowed_from:
        raise ValidationError(_("Impossible depuis le statut « %(status)s ».")
                              % {"status": measurement.get_status_display()})
    _ensure_open(measurement.indicator, measurement.period_end)
    before = measurement.status
    measurement.status = to
    if note is not None:
        measurement.review_note = note
        measurement.reviewed_by = _person(actor)
        measurement.reviewed_at = timezone.now()
    measurement.save()
    audit_record(Action.UPDATE, obj=measurement, actor=actor, changes={"status": [before, to]})
    return measurement


@transaction.atomic
def measurement_submit(measurement: Measurement, *, actor=None) -> Measurement:
    """Draft or returned → submitted, for review by the evaluation leads."""
    return _move(measurement, allowed_from={MeasurementStatus.DRAFT, MeasurementStatus.RETURNED},
                 to=MeasurementStatus.SUBMITTED, actor=actor)


@transaction.atomic
def measurement_approve(measurement: Measurement, *, reviewer=None, note: str = "") -> Measurement:
    """Submitted → approved: from now on the measurement counts in progress and may be published."""
    measurement = _move(measurement, allowed_from={MeasurementStatus.SUBMITTED}, to=MeasurementStatus.APPROVED,
                        actor=reviewer, note=note)
    initiative_results_refresh(initiative_ids=[measurement.indicator.initiative_id])
    return measurement


@transaction.atomic
def measurement_return(measurement: Measurement, *, reviewer=None, note: str) -> Measurement:
    """Submitted → returned with a note saying what to fix; its author may then edit and resubmit it."""
    if not note.strip():
        raise ValidationError({"note": _("Dites ce qui doit être revu.")})
    return _move(measurement, allowed_from={MeasurementStatus.SUBMITTED}, to=MeasurementStatus.RETURNED,
                 actor=reviewer, note=note.strip())


# Evidence ----------------------------------------------------------------------------------------------------------

EVIDENCE_FIELDS = ("kind", "title", "text", "speaker_role", "url", "source", "consent", "image_rights", "anonymised",
                   "tags", "is_public")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # as an initiative's documents


def _evidence_file(kind: str, upload):
    """An upload checked by its bytes: a photo is an image, re-encoded (no GPS metadata, nothing appended); a
    document a PDF, an office or text file or an image (re-encoded too)."""
    if kind == EvidenceKind.PHOTO:
        return clean_image(upload, max_bytes=EVIDENCE_MAX_BYTES)
    if check_document(upload, max_bytes=EVIDENCE_MAX_BYTES) in IMAGE_KINDS:
        return clean_image(upload, max_bytes=EVIDENCE_MAX_BYTES)
    return upload


def _evidence_tags(text: str) -> str:
    """Tags as stored: comma-separated, trimmed, each once (first spelling kept)."""
    seen: dict[str, str] = {}
    for tag in str(text).split(","):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return ", ".join(seen.values())


def _evidence_clean(evidence: Evidence, *, has_file: bool) -> None:
    kind = evidence.kind
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Type de preuve inconnu.")})
    evidence.title = str(evidence.title).strip()
    evidence.tags = _evidence_tags(evidence.tags)
    if kind in (EvidenceKind.VERBATIM, EvidenceKind.FIGURE) and not evidence.text.strip():
        raise ValidationError({"text": _("Citez les propos.") if kind == EvidenceKind.VERBATIM
                               else _("Donnez le chiffre et ce qu'il compte.")})
    if kind == EvidenceKind.LINK and not evidence.url:
        raise ValidationError({"url": _("Indiquez l'adresse du lien.")})
    if kind in (EvidenceKind.PHOTO, EvidenceKind.DOCUMENT) and not (has_file or evidence.url):
        raise ValidationError({"file": _("Déposez le fichier ou indiquez un lien.")})
    if evidence.is_public:
        if kind == EvidenceKind.VERBATIM and not evidence.consent:
            raise ValidationError({"is_public": _("Un verbatim ne peut pas être publié sans le consentement de la "
                                                  "personne citée.")})
        if kind == EvidenceKind.PHOTO and not evidence.image_rights:
            raise ValidationError({"is_public": _("Une photo ne peut pas être publiée sans le droit à l'image des "
                                                  "personnes photographiées.")})
    evidence.full_clean(exclude=["initiative", "file", "created_by"])


def _evidence_links(evidence: Evidence, indicators, objectives, measurements) -> dict[str, list]:
    """The indicators, objectives and measurements the evidence backs, all of its initiative (None: unchanged)."""
    links = {}
    for name, items, initiative_of in (("indicators", indicators, lambda i: i.initiative_id),
                                       ("objectives", objectives, lambda o: o.initiative_id),
                                       ("measurements", measurements, lambda m: m.indicator.initiative_id)):
        if items is None:
            continue
        items = list(items)
        if any(initiative_of(item) != evidence.initiative_id for item in items):
            raise ValidationError({name: _("Une preuve ne renvoie qu'à des éléments de sa propre initiative.")})
        links[name] = items
    return links


def _file_removed_on_commit(field_file) -> None:
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def evidence_create(*, initiative: Initiative, kind: str, title: str, file=None, indicators=(), objectives=(),
                    measurements=(), created_by=None, **fields) -> Evidence:
    """An item of the evidence library. `fields`: text, speaker_role, url, source, consent, image_rights,
    anonymised, tags (comma-separated), is_public. A file is checked by its content (10 MB at most)."""
    unknown = set(fields) - set(EVIDENCE_FIELDS)
    if unknown:
        raise TypeError(f"evidence_create: unknown fields {sorted(unknown)}")
    evidence = Evidence(initiative=initiative, kind=kind, title=title, created_by=_person(created_by), **fields)
    if kind == EvidenceKind.LINK:
        file = None
    _evidence_clean(evidence, has_file=bool(file))
    links = _evidence_links(evidence, indicators, objectives, measurements)
    if file:
        evidence.file = _evidence_file(kind, file)
    evidence.save()
    for name, items in links.items():
        getattr(evidence, name).set(items)
    audit_record(Action.CREATE, obj=evidence, actor=created_by,
                 changes={"initiative": initiative.slug, "kind": kind, "is_public": evidence.is_public})
    return evidence


@transaction.atomic
def evidence_update(evidence: Evidence, *, actor=None, file=_UNSET, indicators=None, objectives=None,
                    measurements=None, **fields) -> Evidence:
    """Change an item. `file`: an upload replaces the stored file, "" or None removes it, absent keeps it;
    links given as lists replace the current ones."""
    unknown = set(fields) - set(EVIDENCE_FIELDS)
    if unknown:
        raise TypeError(f"evidence_update: unknown fields {sorted(unknown)}")
    before = {name: getattr(evidence, name) for name in fields}
    for name, value in fields.items():
        setattr(evidence, name, value)
    old_file = evidence.file if evidence.file else None
    replace = file is not _UNSET
    if evidence.kind == EvidenceKind.LINK and old_file:
        replace, file = True, None
    has_file = bool(file) if replace else bool(old_file)
    _evidence_clean(evidence, has_file=has_file)
    links = _evidence_links(evidence, indicators, objectives, measurements)
    changes: dict[str, Any] = {name: [str(old), str(getattr(evidence, name))] for name, old in before.items()
                               if old != getattr(evidence, name)}
    if replace:
        if old_file:
            _file_removed_on_commit(old_file)
        evidence.file = _evidence_file(evidence.kind, file) if file else ""
        changes["file"] = "replaced" if file else "removed"
    evidence.save()
    for name, items in links.items():
        getattr(evidence, name).set(items)
        changes[name] = [item.pk for item in items]
    audit_record(Action.UPDATE, obj=evidence, actor=actor, changes=changes)
    return evidence


def evidence_publish(evidence: Evidence, *, public: bool = True, actor=None) -> Evidence:
    """Publish (or withdraw) an item: a verbatim needs the quoted person's consent, a photo the image rights."""
    return evidence_update(evidence, actor=actor, is_public=public)


@transaction.atomic
def evidence_delete(evidence: Evidence, *, actor=None) -> None:
    """Delete an item and its stored file (once the deletion is committed)."""
    if evidence.file:
        _file_removed_on_commit(evidence.file)
    audit_record(Action.DELETE, obj=evidence, actor=actor,
                 changes={"initiative": evidence.initiative.slug, "kind": evidence.kind})
    evidence.delete()


# Reminders ---------------------------------------------------------------------------------------------------------

def _reminded_people(initiative: Initiative, owner) -> list:
    """A partner's late indicators go to its people; the collective's to the evaluation leads (else the editors
    of the organisations carrying the initiative)."""
    if owner is not None:
        return [m.user for m in Membership.objects.filter(organisation=owner, user__is_active=True)
                .select_related("user")]
    leads = list(framework_of(initiative).leads.filter(is_active=True))
    if leads:
        return leads
    carriers = Partnership.objects.filter(initiative=initiative, role=Role.PORTEUR).values("organisation_id")
    return [m.user for m in Membership.objects.filter(organisation_id__in=carriers, role=MembershipRole.EDITOR,
                                                      user__is_active=True).select_related("user")]


def late_collections_remind(*, on: date | None = None) -> int:
    """Email each owner's people the indicators whose collection is late (see queries.late_collections);
    returns the number of emails sent."""
    on = on or timezone.localdate()
    sent = 0
    for initiative in Initiative.objects.filter(indicators__active=True).distinct().iterator():
        for owner, collections in late_collections(initiative, on).items():
            context = {"initiative": initiative, "owner": owner, "collections": collections,
                       "site": getattr(settings, "SITE_URL", "")}
            subject, _newline, body = render_to_string("evaluation/late_collections_email.txt",
                                                       context).strip().partition("\n")
            for person in _reminded_people(initiative, owner):
                send_mail(subject.strip(), body.strip() + "\n", None, [person.email])
                sent += 1
    return sent
