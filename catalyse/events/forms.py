from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.core.concurrency import VersionField
from catalyse.core.forms import RowsMixin, RowsWidget
from catalyse.core.text import fold
from catalyse.core.widgets import MarkdownTextarea
from catalyse.territories.forms import TerritoryKeysField, TerritoryPickerMixin

from .models import Event, EventKind, Registration, SessionKind
from .queries import workshop_sessions
from .services import EVENT_FIELDS, SessionRow

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "email", "organisation_name", "session", "public_name"]
        labels = {"organisation_name": _("Organisation")}
        help_texts = {
            "public_name": _("Sinon, seuls les organisateurs voient votre nom."),
            "email": _("Visible des seuls organisateurs, jamais publiée."),
        }

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # `event` is no form field: the model's one-address-per-event constraint is left to the service, which
        # checks it with the event locked (and lets a cancelled registration register again).
        self.instance.event = event
        sessions = workshop_sessions(event)
        if sessions.exists():
            self.fields["session"].queryset = sessions
            self.fields["session"].empty_label = _("Sans préférence")
        else:
            del self.fields["session"]


class PublicNameForm(forms.Form):
    """A registered person's choice, changed from their registration's page."""

    public_name = forms.BooleanField(
        label=_("Afficher mon nom dans la liste publique des participants"),
        required=False,
        help_text=_("Sinon, seuls les organisateurs voient votre nom. Votre place ne change pas."),
    )


class EventFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous les types")), *EventKind.choices])
    territoire = forms.ChoiceField(label=_("Région"), required=False)

    def __init__(self, *args, regions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = [
            ("", _("Toutes les régions")),
            *((f"{t.level}:{t.code}", t.name) for t in regions),
        ]


# Event and programme -----------------------------------------------------------------------------------------------


def organisation_named(text: str, keep: Organisation | None = None) -> Organisation:
    """The published organisation named `text` (accents, case and hyphens aside) or whose address (slug) it is;
    `keep` (the one already chosen) answers for its own name even when unpublished or namesake. Errors say
    what to type instead."""
    text = text.strip()
    if keep is not None and (fold(text) == fold(keep.name) or text.rstrip("/").endswith(keep.slug)):
        return keep
    published = Organisation.objects.filter(status=PublicationStatus.PUBLISHED)
    by_slug = published.filter(slug=text.rstrip("/").rsplit("/", 1)[-1]).first()
    if by_slug is not None:
        return by_slug
    found = list(published.filter(search_name=fold(text)).order_by("pk")[:2])
    if not found:
        raise ValidationError(_("« %(name)s » n'est pas dans l'annuaire."), params={"name": text})
    if len(found) > 1:
        raise ValidationError(
            _("Plusieurs organisations s'appellent « %(name)s » : indiquez l'adresse de sa fiche (%(example)s)."),
            params={"name": text, "example": found[0].get_absolute_url()},
        )
    return found[0]


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(";") if part.strip()))


class ProgrammeWidget(RowsWidget):
    """The programme's rows; a row of an existing session carries its id, and a "remove" box checked for it."""

    def value_from_datadict(self, data, files, name):
        removed = set(data.getlist(f"{name}_remove"))
        rows = super().value_from_datadict(data, files, name)
        for row in rows:
            row["remove"] = bool(row["id"]) and row["id"] in removed
        return rows


class ProgrammeField(forms.Field):
    """The programme as rows (title, format, start and end, place, description, speakers' organisations, order).
    Cleans to (rows to write, ids of sessions to remove); each error names its row."""

    COLUMNS = ("id", "title", "kind", "starts_at", "ends_at", "place", "description", "speakers", "order")

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(widget=ProgrammeWidget(self.COLUMNS), **kwargs)
        self.speakers: dict[int, list[Organisation]] = {}  # the current speakers of each session, by id

    @staticmethod
    def row_is_blank(row: dict) -> bool:
        """A new row with nothing typed (its format list always has a value)."""
        return not any(str(row.get(c, "")).strip() for c in ProgrammeField.COLUMNS if c != "kind")

    def clean(self, value) -> tuple[list[SessionRow], list[int]]:
        rows, removed, errors = [], [], []
        for number, raw in enumerate((r for r in value or [] if not self.row_is_blank(r)), start=1):
            try:
                row = self._row(raw)
            except ValidationError as error:
                errors.append(_("Séance %(n)s : %(errors)s") % {"n": number, "errors": " ".join(error.messages)})
                continue
            (removed.append(row.id) if raw.get("remove") else rows.append(row))
        if errors:
            raise ValidationError(errors)
        return rows, removed

    def _row(self, raw: dict) -> SessionRow:
        raw = {key: str(text).strip() for key, text in raw.items() if key != "remove"}
        pk = int(raw["id"]) if raw["id"].isdigit() else None
        problems = []
        if not raw["title"]:
            problems.append(str(_("l'intitulé manque.")))
        if raw["kind"] not in SessionKind.values:
            problems.append(str(_("choisissez un format.")))
        times = {}
        for name, label in (("starts_at", _("le début")), ("ends_at", _("la fin"))):
            try:
                times[name] = forms.DateTimeField().clean(raw[name])
            except ValidationError:
                problems.append(str(_("%(what)s manque ou n'est pas une date et une heure.") % {"what": label}))
        if len(times) == 2 and times["ends_at"] < times["starts_at"]:
            problems.append(str(_("la fin précède le début.")))
        if raw["order"] and not raw["order"].isdigit():
            problems.append(str(_("l'ordre est un nombre entier.")))
        speakers = []
        current = {fold(o.name): o for o in self.speakers.get(pk, [])}
        for name in _names(raw["speakers"]):
            try:
                speakers.append(organisation_named(name, keep=current.get(fold(name))))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(" ".join(problems))
        return SessionRow(
            id=pk,
            title=raw["title"],
            kind=raw["kind"],
            starts_at=times["starts_at"],
            ends_at=times["ends_at"],
            place=raw["place"],
            description=raw["description"],
            speakers=list(dict.fromkeys(speakers)),
            order=int(raw["order"] or 0),
        )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(DATETIME_FORMAT)


class EventForm(TerritoryPickerMixin, RowsMixin, forms.ModelForm):
    """An event and its programme. Times are typed in Europe/Paris; the organiser and the speakers are named
    as in the directory (only published organisations: the event page names them to everyone)."""

    territory_field = "territory"
    territory = TerritoryKeysField(label=_("Territoire"), required=False)
    organiser = forms.CharField(
        label=_("Organisation organisatrice"),
        max_length=300,
        required=False,
        help_text=_("Son nom dans l'annuaire ; ses éditeurs pourront modifier l'événement."),
    )
    online_url = forms.URLField(label=_("Lien de connexion"), required=False, assume_scheme="https")
    sessions = ProgrammeField(label=_("Programme"))
    version = VersionField()

    row_fields = {"sessions": 2}

    class Meta:
        model = Event
        fields = [name for name in EVENT_FIELDS if name != "organiser"]  # the organiser is typed as a name
        widgets = {
            "description": MarkdownTextarea(attrs={"rows": 8}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "status": forms.RadioSelect,
        }
        labels = {"starts_at": _("Début (heure de Paris)"), "ends_at": _("Fin (heure de Paris)")}
        help_texts = {
            "capacity": _("Vide : sans limite. Au-delà, les inscriptions vont en liste d'attente."),
            "status": _("Un brouillon n'est visible que de ses organisateurs."),
        }

    def __init__(self, *args, more: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk:
            sessions = list(event.sessions.prefetch_related("speakers").order_by("starts_at", "order", "pk"))
            self.fields["sessions"].speakers = {s.pk: list(s.speakers.all()) for s in sessions}
            self.initial.setdefault("version", event.version)
            self.initial["territory"] = [event.territory] if event.territory else []
            self.initial.setdefault("organiser", event.organiser.name if event.organiser else "")
            self.initial["sessions"] = [
                {
                    "id": s.pk,
                    "title": s.title,
                    "kind": s.kind,
                    "starts_at": _local(s.starts_at),
                    "ends_at": _local(s.ends_at),
                    "place": s.place,
                    "description": s.description,
                    "speakers": "; ".join(o.name for o in self.fields["sessions"].speakers[s.pk]),
                    "order": s.order or "",
                }
                for s in sessions
            ]
        self.session_kinds = SessionKind.choices
        self.build_rows(more)

    def clean_territory(self):
        places = self.cleaned_data.get("territory") or []
        if len(places) > 1:
            raise ValidationError(_("Un événement se tient sur un seul territoire : gardez-en un."))
        return places[0] if places else None

    def clean_organiser(self) -> Organisation | None:
        text = self.cleaned_data["organiser"].strip()
        return organisation_named(text, keep=self.instance.organiser) if text else None

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("La fin de l'événement précède son début."))
        return cleaned

    def service_kwargs(self) -> dict:
        """What event_create (or, editing, event_update) takes."""
        data = {name: self.cleaned_data[name] for name in EVENT_FIELDS}
        data["sessions"], removed = self.cleaned_data["sessions"]
        if self.instance.pk:
            data["remove_sessions"] = removed
        return data
