from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation, Profile, PublicationStatus
from catalyse.core import permissions
from catalyse.core.concurrency import VersionField
from catalyse.core.text import fold
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative, Theme
from catalyse.territories.forms import TerritoryKeysField, TerritoryPickerMixin
from catalyse.territories.models import Level

from . import queries
from .models import Collection, Family, Resource, Tool

NETWORK = "network"


def _split(text: str, sep: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(sep) if part.strip()))


class ResourceForm(TerritoryPickerMixin, forms.ModelForm):
    """A resource's description. Authors are typed as names: those of published organisations are linked to
    them, the others kept as text. The owner is chosen on creation only, among those the person may publish
    for (the network, organisations, initiatives, events)."""

    owner = forms.ChoiceField(label=_("Publiée par"), required=True)
    authors = forms.CharField(
        label=_("Auteurs (organisations)"),
        max_length=600,
        required=False,
        help_text=_("Noms séparés par des points-virgules ; ceux du réseau sont reliés à leur fiche."),
    )
    territories = TerritoryKeysField(label=_("Territoires"), required=False)
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Thèmes")
    )
    collections = forms.ModelMultipleChoiceField(
        Collection.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Collections")
    )
    initiatives = forms.ModelMultipleChoiceField(
        Initiative.objects.none(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Initiatives liées")
    )
    events = forms.ModelMultipleChoiceField(
        Event.objects.none(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Événements liés"),
        help_text=_("Les événements que vous organisez où la ressource a été présentée."),
    )
    url = forms.URLField(
        label=_("Adresse"), required=False, assume_scheme="https", help_text=_("Ou l'adresse où la lire (https://…).")
    )
    tags_text = forms.CharField(
        label=_("Mots-clés"), max_length=300, required=False, help_text=_("Séparés par des virgules.")
    )

    class Meta:
        model = Resource
        fields = ["title", "resource_type", "summary", "published_on", "licence", "url", "file", "visibility"]
        widgets = {
            "resource_type": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "file": forms.FileInput,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "file": _("PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, CSV, TXT, PNG ou JPEG ; 10 Mo au plus."),
            "licence": _("Par exemple : Licence Ouverte 2.0, CC BY 4.0."),
        }

    def __init__(self, *args, user, initial_owner: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        own_initiatives = queries.publishable_initiatives(user)
        own_events = queries.publishable_events(user)
        # What the person may link, plus what is already linked (kept when someone else saves the resource).
        for name, model, own, order in (("initiatives", Initiative, own_initiatives, "title"),
                                        ("events", Event, own_events, "-starts_at")):
            linked = getattr(self.instance, name).values("pk") if self.instance.pk else []
            self.fields[name].queryset = model.objects.filter(
                pk__in=[*own.values_list("pk", flat=True), *(r["pk"] for r in linked)]
            ).order_by(order)
        if self.instance.pk:
            del self.fields["owner"]
            self.initial.setdefault("territories", list(self.instance.territories.all()))
            self.initial.setdefault(
                "authors",
                "; ".join(
                    [
                        *self.instance.author_organisations.values_list("name", flat=True),
                        *_split(self.instance.authors_text, ";"),
                    ]
                ),
            )
            self.initial.setdefault("tags_text", ", ".join(self.instance.tags))
        else:
            choices = [(NETWORK, _("Le réseau (équipe d'animation)"))] if permissions.is_animator(user) else []
            choices += [(f"organisation:{o.pk}", o.name) for o in queries.publishable_organisations(user)]
            choices += [(f"initiative:{i.pk}", i.title) for i in own_initiatives]
            choices += [(f"event:{e.pk}", _("Événement : %(title)s") % {"title": e.title})
                        for e in own_events]
            self.fields["owner"].choices = choices
            self.initial.setdefault("owner", initial_owner)

    def clean_authors(self) -> tuple[list[Organisation], str]:
        names = _split(self.cleaned_data["authors"], ";")
        published = Organisation.objects.filter(status=PublicationStatus.PUBLISHED)
        found = {fold(o.name): o for o in published.filter(name__in=names)}
        orgs = [found[fold(n)] for n in names if fold(n) in found]
        return orgs, "; ".join(n for n in names if fold(n) not in found)

    def clean_tags_text(self) -> list[str]:
        return _split(self.cleaned_data["tags_text"], ",")[:20]

    def owner_kwargs(self) -> dict:
        """The owner as resource_create takes it (the choices are those the person may publish for)."""
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "organisation":
            return {"owner_organisation": Organisation.objects.get(pk=pk)}
        if kind == "initiative":
            return {"owner_initiative": Initiative.objects.get(pk=pk)}
        if kind == "event":
            return {"owner_event": Event.objects.get(pk=pk)}
        return {}

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name != "file"}
        data["author_organisations"], data["authors_text"] = self.cleaned_data["authors"]
        data["tags"] = self.cleaned_data["tags_text"]
        for name in ("territories", "themes", "collections", "initiatives", "events"):
            data[name] = self.cleaned_data[name]
        file = self.cleaned_data.get("file")
        data["file"] = file if isinstance(file, UploadedFile) else None  # none sent: the stored file stays
        return data


class ToolForm(forms.ModelForm):
    """A service of the toolbox. Its provider is typed as a name: a published organisation of that name is
    linked, another name is kept as text. Editing, it carries the version it started from."""

    provider_name = forms.CharField(
        label=_("Fourni par"),
        max_length=200,
        required=False,
        help_text=_("Le nom de l'organisation ; celles du réseau sont reliées à leur fiche."),
    )
    url = forms.URLField(label=_("Adresse"), required=False, assume_scheme="https")
    profiles = forms.MultipleChoiceField(label=_("Pour les acteurs"), choices=Profile.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("Pour les échelons"), choices=Level.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    version = VersionField()

    class Meta:
        model = Tool
        fields = ["name", "family", "summary", "url", "profiles", "levels"]
        widgets = {"family": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = Family.choices  # radio buttons: no empty "---------" choice
        if self.instance.pk:
            self.initial.setdefault("provider_name", self.instance.provider_name)
            self.initial.setdefault("version", self.instance.version)

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        name = self.cleaned_data["provider_name"].strip()
        published = Organisation.objects.filter(status=PublicationStatus.PUBLISHED)
        provider = published.filter(search_name=fold(name)).order_by("pk").first() if name else None
        data["provider"], data["provider_text"] = provider, "" if provider else name
        return data

    def differences(self, stored: Tool) -> list[tuple[str, str, str]]:
        """(label, stored value, typed value) for each field where what was typed differs from `stored` (the
        conflict page); nothing while the typed values are not valid."""
        if not self.is_valid():
            return []
        typed, kept = _tool_shown(Tool(**self.service_kwargs())), _tool_shown(stored)
        return [(str(self.fields[name].label), kept[name], typed[name]) for name in typed if typed[name] != kept[name]]


def _tool_shown(tool: Tool) -> dict[str, str]:
    """A service's fields as its page shows them, by the name of their form field."""
    return {
        "name": tool.name,
        "family": str(tool.get_family_display()),
        "summary": tool.summary,
        "provider_name": tool.provider_name,
        "url": tool.url,
        "profiles": ", ".join(tool.profile_labels),
        "levels": ", ".join(tool.level_labels),
    }


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
