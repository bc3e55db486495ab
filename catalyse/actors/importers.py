"""Organisation importers on the one import framework (`catalyse.core.imports`): the CSV/XLSX template,
the RNA associations register ("waldec" export) and the SIRENE establishments stock (StockEtablissement).

All three share `OrganisationImporter.write`, the upsert: a row is matched to an existing organisation by
its identifiers (RNA number, SIRET, SIREN, then — for the template only — the same name in the same
commune); unchanged rows are counted and not written; new organisations get unique slugs in bulk, are
located from their head-office INSEE code and published unless the import says otherwise. Empty cells
never erase what is known. Dissolved associations and closed establishments are marked (`dissolved_on`),
never deleted.

The module registers the "organisations" import kind, served by the generic import pages (imported from
`ActorsConfig.ready()`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalyse.core.imports import (
    MB,
    BatchResult,
    Cleaned,
    Importer,
    ImportFailed,
    ImportKind,
    Issue,
    RowError,
    clean_email,
    clean_website,
    parse_date,
    parse_number,
    register_import,
)
from catalyse.core.slugs import unique_slugs
from catalyse.core.text import fold
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Kind, Level, Territory

from .forms_import import OrganisationImportForm
from .models import Organisation, Profile, PublicationStatus, Scope, Source, Trade
from .services import organisation_locate, organisations_bulk_create, organisations_bulk_update
from .validators import (
    is_valid_rna,
    is_valid_siren,
    is_valid_siret,
    normalize_identifier,
    validate_latitude,
    validate_longitude,
)

LOCATION_FIELDS = ("head_office_id", "region_id", "departement_id", "typology")
# Every column an importer may set; existing organisations are read with all of them so that a row's
# values can be merged over what is already known.
IMPORTED_FIELDS = (
    "name", "search_name", "profile", "legal_form", "scope", "siren", "siret", "rna", "address", "postal_code",
    "website", "email", "description", "joined_on", "is_catalyst", "latitude", "longitude", "dissolved_on",
    *LOCATION_FIELDS,
)
NO_LOCATION = {"head_office_id": None, "region_id": None, "departement_id": None, "typology": ""}
SLUG_CACHE_LIMIT = 200_000


def departement_of(insee_code: str) -> str:
    """The département code of a commune's INSEE code (2A/2B and the three-digit overseas codes included)."""
    return insee_code[:3] if insee_code[:2] in {"97", "98"} else insee_code[:2]


@dataclass
class OrganisationRow:
    fields: dict[str, Any]  # values to upsert
    defaults: dict[str, Any] = field(default_factory=dict)  # values used only when creating
    head_office: str | None = None  # INSEE code; None when the file has no such column
    trades: list[str] | None = None  # trade codes; None: leave as they are
    territories: list[int] | None = None  # territory ids; None: leave as they are


_COMMUNE_FIELDS = ("id", "region_id", "departement_id", "typology_computed", "typology_override", "latitude",
                   "longitude")


def _office(row: dict, prefix: str) -> SimpleNamespace:
    """The attributes of a commune that `organisation_locate` reads, from a `values()` row."""
    get = lambda f: row[prefix + f]  # noqa: E731
    return SimpleNamespace(pk=get("id"), region_id=get("region_id"), departement_id=get("departement_id"),
                           typology=get("typology_override") or get("typology_computed"),
                           latitude=get("latitude"), longitude=get("longitude"))


class CommuneIndex:
    """INSEE code → where an organisation with that head office sits (commune, région, département, typology,
    default point), computed once per commune by `organisation_locate` and remembered (at most ~40k).

    Files carry former codes too (merged communes, Paris/Lyon/Marseille arrondissements): those resolve
    to the current commune they belong to."""

    def __init__(self):
        self._by_code: dict[str, dict | None] = {}
        self._points: dict[int, tuple[float | None, float | None]] = {}

    def prefetch(self, codes: set[str]) -> None:
        missing = codes - self._by_code.keys()
        if not missing:
            return
        found: dict[str, SimpleNamespace] = {}
        parent = tuple(f"parent_commune__{f}" for f in _COMMUNE_FIELDS)
        for row in Territory.objects.filter(level=Level.COMMUNE, code__any_of=missing).values(
                "code", "kind", *_COMMUNE_FIELDS, *parent):
            if row["kind"] == Kind.CURRENT:
                found[row["code"]] = _office(row, "")
            elif row["parent_commune__id"] is not None:
                found.setdefault(row["code"], _office(row, "parent_commune__"))
        for code in missing:
            self._by_code[code] = self._locate(found[code]) if code in found else None

    def _locate(self, office: SimpleNamespace) -> dict:
        # A stand-in organisation rather than a model instance: this runs for each of ~40k communes of a
        # national file, and building model instances was a large part of an import's time.
        org = SimpleNamespace(name="", head_office=office, latitude=None, longitude=None)
        organisation_locate(org)
        self._points[office.pk] = (org.latitude, org.longitude)
        return {"head_office_id": office.pk, "region_id": org.region_id, "departement_id": org.departement_id,
                "typology": org.typology, "latitude": org.latitude, "longitude": org.longitude}

    def location(self, code: str) -> dict | None:
        return self._by_code.get(code)

    def point_of(self, commune_id: int | None) -> tuple[float | None, float | None] | None:
        """The default point of a commune (its centroid), if known."""
        if commune_id is not None and commune_id not in self._points:
            point = Territory.objects.filter(pk=commune_id).values_list("latitude", "longitude").first()
            self._points[commune_id] = point or (None, None)
        return self._points.get(commune_id)


# --- value cleaning -------------------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def text(value: Any, max_length: int) -> str:
    return _SPACES.sub(" ", str(value or "")).strip()[:max_length]


def _date(row: dict, column: str) -> dt.date | None:
    try:
        return parse_date(row.get(column, ""))
    except RowError as exc:
        raise RowError(column, exc.reason) from None


def clean_identifier(value: str, kind: str, *, column: str = "", digits: int = 0) -> str:
    """A validated SIREN, SIRET or RNA number, or "" if empty; RowError if invalid.

    Spreadsheets turn identifiers into numbers and drop leading zeros: `digits` puts them back."""
    value = normalize_identifier(str(value or ""))
    if digits and value.isdigit() and len(value) < digits:
        value = value.zfill(digits)
    if not value:
        return ""
    valid = {"siren": is_valid_siren, "siret": is_valid_siret, "rna": is_valid_rna}[kind]
    if not valid(value):
        reasons = {
            "siren": _("SIREN invalide (9 chiffres avec une clé de contrôle correcte) : « %(v)s »."),
            "siret": _("SIRET invalide (14 chiffres avec une clé de contrôle correcte) : « %(v)s »."),
            "rna": _("Numéro RNA invalide (W suivi de 9 caractères) : « %(v)s »."),
        }
        raise RowError(column or kind, reasons[kind] % {"v": value[:20]})
    return value


def join_address(*parts: str) -> str:
    # The RNA writes "_" for an empty distribution line and sometimes glues it to the text.
    return text(" ".join(p.replace("_", " ").strip() for p in parts if p and p.strip(" _")), 255)


def soft(warnings: list[Issue], line: int, column: str, fn, *args, **kwargs):
    """Call a cleaner; on RowError record a warning for `column` (the value is ignored) and return ""."""
    try:
        return fn(*args, **kwargs)
    except RowError as exc:
        warnings.append(Issue(line, column, exc.reason, rejected=False))
        return ""


# --- the shared upsert ----------------------------------------------------------------------------------
class OrganisationImporter(Importer):
    kind = "organisations"
    source = Source.CSV
    # Per batch: a lookup of the identifiers, the slugs, the inserts and the outbox rows. Larger batches mean
    # fewer round trips and commits; memory stays bounded by the batch.
    batch_size = 2000
    # Identifier columns tried in order to find the existing organisation a row describes.
    keys: tuple[tuple[str, ...], ...] = (("rna",), ("siret",))
    head_office_column = ""

    def __init__(self, options: dict | None = None, *, created_by=None):
        super().__init__(options, created_by=created_by)
        self.departements = {d.strip().upper() for d in self.options.get("departements") or [] if d.strip()}
        self.status = PublicationStatus.PENDING if self.options.get("unpublished") else PublicationStatus.PUBLISHED
        self.communes = CommuneIndex()
        self.slug_cache: dict[str, int] = {}
        self._trades: dict[str, int] | None = None

    def keep_commune(self, insee_code: str) -> bool:
        return not self.departements or departement_of(insee_code.strip().upper()) in self.departements

    def trade_ids(self) -> dict[str, int]:
        if self._trades is None:
            self._trades = dict(Trade.objects.values_list("code", "id"))
        return self._trades

    def write(self, batch: list[Cleaned], *, dry_run: bool) -> BatchResult:
        result = BatchResult()
        self.communes.prefetch({c.data.head_office for c in batch if c.data.head_office})
        result.issues.extend(
            Issue(c.line, self.head_office_column, _("Commune inconnue : %(c)s.") % {"c": c.data.head_office}, False)
            for c in batch if c.data.head_office and self.communes.location(c.data.head_office) is None
        )
        prepared = [(c.line, c.data, self._values(c.data)) for c in batch]
        existing = self._existing([v for _, _, v in prepared])
        by_key: dict[tuple, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
        owners: dict[tuple[str, str], dict] = {}
        for e in existing:
            for key in self.keys:
                if all(e[k] for k in key):
                    by_key[key][tuple(e[k] for k in key)].append(e)
            for f in ("rna", "siret"):
                if e[f]:
                    owners[(f, e[f])] = e
        links = self._links(existing, prepared)
        claimed: dict[tuple[str, str], int] = {}
        creates: list[tuple[OrganisationRow, dict]] = []
        updates: list[tuple[OrganisationRow, dict, dict]] = []
        for line, row, values in prepared:
            ids = [(f, values[f]) for f in ("rna", "siret") if values.get(f)]
            if twin := next((claimed[i] for i in self._claims(values, ids) if i in claimed), None):
                result.issues.append(Issue(line, "", _("Même organisation qu'à la ligne %(n)d du fichier.")
                                           % {"n": twin}))
                continue
            target = self._match(values, by_key)
            if conflict := next((owners[i] for i in ids if i in owners and owners[i] is not target), None):
                result.issues.append(Issue(line, "", _("Identifiant déjà attribué à « %(name)s » (%(slug)s).")
                                           % {"name": conflict["name"], "slug": conflict["slug"]}))
                continue
            claimed.update(dict.fromkeys(self._claims(values, ids), line))
            self._place(values, row, target)
            if target is None:
                result.created += 1
                creates.append((row, values))
            elif self._changed(target, values) or self._links_changed(target["id"], row, links):
                result.updated += 1
                updates.append((row, target, values))
            else:
                result.unchanged += 1
        if not dry_run:
            self._create(creates)
            self._update(updates, links)
        return result

    def _values(self, row: OrganisationRow) -> dict[str, Any]:
        values = dict(row.fields)
        if "name" in values:
            values["search_name"] = fold(values["name"])
        if row.head_office is not None:
            location = self.communes.location(row.head_office) or NO_LOCATION
            values.update({f: location[f] for f in LOCATION_FIELDS})
        return values

    def _place(self, values: dict, row: OrganisationRow, target: dict | None) -> None:
        """Without coordinates in the row, the point follows the head office — unless the organisation has
        a point of its own, entered by someone (the rule of `organisation_locate`)."""
        if row.head_office is None or "latitude" in values:
            return
        location = self.communes.location(row.head_office)
        if location is None:
            return
        if target is not None and target["latitude"] is not None and (target["latitude"], target["longitude"]) \
                != self.communes.point_of(target["head_office_id"]):
            return
        values.update(latitude=location["latitude"], longitude=location["longitude"])

    def _existing(self, rows: list[dict]) -> list[dict]:
        q = Q()
        for key in {*self.keys, ("rna",), ("siret",)}:
            tuples = {tuple(v.get(k) for k in key) for v in rows}
            tuples = {t for t in tuples if all(t)}
            if tuples:
                # `~Q(k="")` repeats the condition of the partial unique indexes on rna and siret, without
                # which SQLite cannot use them (and would scan the table for every batch).
                q |= Q(**{f"{k}__any_of": {t[i] for t in tuples} for i, k in enumerate(key)}) & ~Q(**{key[0]: ""})
        if not q:
            return []
        return list(Organisation.objects.filter(q).order_by().values("id", "version", "slug", *IMPORTED_FIELDS))

    @staticmethod
    def _claims(values: dict, ids: list) -> list:
        """What makes a row the same organisation as an earlier row of the file: an identifier, or for a row
        without any, its name in its commune."""
        if ids or values.get("siren") or not values.get("head_office_id"):
            return ids
        return [("name", (values["search_name"], values["head_office_id"]))]

    def _match(self, values: dict, by_key: dict) -> dict | None:
        for key in self.keys:
            if all(values.get(k) for k in key):
                candidates = by_key[key].get(tuple(values[k] for k in key), [])
                if len(candidates) == 1:  # several (same SIREN, same name): ambiguous, try the next key
                    return candidates[0]
        return None

    @staticmethod
    def _changed(target: dict, values: dict) -> bool:
        return any(target[f] != v for f, v in values.items())

    def _links(self, existing: list[dict], prepared: list) -> dict[str, dict[int, set[int]]]:
        """Current trades and territories of the matched organisations, only if the rows give some."""
        links: dict[str, dict[int, set[int]]] = {"trades": defaultdict(set), "territories": defaultdict(set)}
        ids = [e["id"] for e in existing]
        for name in links:
            if ids and any(getattr(row, name) is not None for _, row, _ in prepared):
                through = getattr(Organisation, name).through
                column = "trade_id" if name == "trades" else "territory_id"
                for org_id, other in through.objects.filter(organisation_id__any_of=ids).values_list(
                        "organisation_id", column):
                    links[name][org_id].add(other)
        return links

    def _wanted(self, row: OrganisationRow, name: str) -> set[int] | None:
        if name == "trades":
            return None if row.trades is None else {self.trade_ids()[c] for c in row.trades}
        return None if row.territories is None else set(row.territories)

    def _links_changed(self, org_id: int, row: OrganisationRow, links: dict) -> bool:
        return any((w := self._wanted(row, n)) is not None and w != links[n].get(org_id, set()) for n in links)

    def _create(self, creates: list[tuple[OrganisationRow, dict]]) -> None:
        if not creates:
            return
        if len(self.slug_cache) > SLUG_CACHE_LIMIT:
            self.slug_cache.clear()  # keeps memory bounded on very large files; bases are looked up again
        slugs = unique_slugs(Organisation, [v["name"] for _, v in creates], highest=self.slug_cache)
        common = {"status": self.status, "source": self.source, "created_by_id": getattr(self.created_by, "pk", None)}
        organisations_bulk_create(
            [{"profile": Profile.GENERAL_INTEREST, **row.defaults, **values, **common, "slug": slug}
             for (row, values), slug in zip(creates, slugs, strict=True)],
            links=[self._wanted_links(row) for row, _ in creates], actor=self.created_by)

    def _update(self, updates: list[tuple[OrganisationRow, dict, dict]], links: dict) -> None:
        if not updates:
            return
        now = timezone.now()
        changed_fields: set[str] = set()
        orgs = []
        for _row, target, values in updates:
            changed_fields.update(f for f, v in values.items() if target[f] != v)
            merged = {f: target[f] for f in IMPORTED_FIELDS} | values
            orgs.append(Organisation(id=target["id"], slug=target["slug"], version=target["version"] + 1,
                                     updated_at=now, **merged))
        changed = [o for o, (_r, t, v) in zip(orgs, updates, strict=True) if self._changed(t, v)]
        organisations_bulk_update(changed, [*sorted(changed_fields), "version", "updated_at"] if changed_fields else [],
                                  links={target["id"]: self._wanted_links(row) for row, target, _ in updates},
                                  current_links=links, actor=self.created_by)

    def _wanted_links(self, row: OrganisationRow) -> dict[str, set[int] | None]:
        return {name: self._wanted(row, name) for name in ("trades", "territories")}


# --- RNA (waldec) ---------------------------------------------------------------------------------------
class RnaImporter(OrganisationImporter):
    """The associations register as published by the Ministry of the Interior (rna_waldec_*.csv): one file per
    département, `;`-separated, UTF-8 or Windows-1252 depending on the year, dates as AAAA-MM-JJ with
    0001-01-01 for "none", `position` A (active), D (dissolved) or S (deleted)."""

    format = "rna"
    label = gettext_lazy("Export RNA des associations (waldec, fichier CSV par département)")
    # One département's file; the national register goes through the command.
    max_upload_bytes = 256 * MB
    source = Source.RNA
    head_office_column = "adrs_codeinsee"
    delimiter = ";"
    quotes_only_if_header_quoted = True
    required_columns = ("id", "titre", "adrs_codeinsee", "position")
    keys = (("rna",), ("siret",))

    def __init__(self, options: dict | None = None, *, created_by=None):
        super().__init__(options, created_by=created_by)
        # Translated once: a translation lookup per row costs more than parsing the row.
        self.legal_form_labels = {True: _("Association déclarée"), False: _("Association")}

    def clean(self, line: int, row: dict[str, str]) -> Cleaned | None:
        insee = row["adrs_codeinsee"].strip().upper()
        if not self.keep_commune(insee):
            return None
        rna = clean_identifier(row["id"], "rna", column="id")
        if not rna:
            raise RowError("id", _("Numéro RNA absent."))
        name = text(row["titre"], 255)
        if not name:
            raise RowError("titre", _("Titre absent."))
        warnings: list[Issue] = []
        fields: dict[str, Any] = {"name": name, "rna": rna}
        if siret := soft(warnings, line, "siret", clean_identifier, row.get("siret", ""), "siret", digits=14):
            fields.update(siret=siret, siren=siret[:9])
        if objet := (row.get("objet") or "").strip():
            fields["description"] = objet
        if address := join_address(row.get("adrs_complement", ""), row.get("adrs_numvoie", ""),
                                   row.get("adrs_repetition", ""), row.get("adrs_typevoie", ""),
                                   row.get("adrs_libvoie", ""), row.get("adrs_distrib", "")):
            fields["address"] = address
        if postal := text(row.get("adrs_codepostal"), 10):
            fields["postal_code"] = postal
        if website := soft(warnings, line, "siteweb", clean_website, row.get("siteweb", "")):
            fields["website"] = website
        fields["legal_form"] = self.legal_form_labels[row.get("nature", "").strip() == "D"]
        fields["dissolved_on"] = None
        if row["position"].strip().upper() in {"D", "S"}:
            fields["dissolved_on"] = (_date(row, "date_disso") or _date(row, "maj_time")
                                      or _date(row, "date_decla") or timezone.localdate())
        return Cleaned(line, OrganisationRow(fields, {"profile": Profile.GENERAL_INTEREST}, head_office=insee),
                       warnings)


# --- SIRENE (StockEtablissement) ------------------------------------------------------------------------
def naf_code(value: str) -> str:
    return value.replace(".", "").replace(" ", "").upper()


def profile_for(legal_form: str, naf: str) -> str:
    """A first guess of the profile from the INSEE legal category and the activity; animators correct it."""
    if legal_form.startswith("7"):
        return Profile.PUBLIC_ACTOR
    if legal_form.startswith(("92", "93")) or naf.startswith(("8899", "9499")):
        return Profile.GENERAL_INTEREST
    if naf.startswith(("854", "7219", "7220")):
        return Profile.ACADEMIC
    return Profile.COMPANY


class SireneImporter(OrganisationImporter):
    """The INSEE establishments stock (StockEtablissement_utf8.csv, `,`-separated, several million rows):
    only the rows matching the filters (départements, activity codes — prefixes such as 88 or 88.99B —
    and legal categories when the file has the `categorieJuridiqueUniteLegale` column) are kept;
    establishments whose owners refused publication (`statutDiffusionEtablissement` other than O) are
    left out; closed ones (`etatAdministratifEtablissement` F) are marked dissolved."""

    format = "sirene"
    label = gettext_lazy("Stock SIRENE des établissements (StockEtablissement, CSV)")
    # An extract; the national stock (several gigabytes) goes through the command.
    max_upload_bytes = 256 * MB
    source = Source.SIRENE
    head_office_column = "codeCommuneEtablissement"
    delimiter = ","
    keys = (("siret",),)

    def __init__(self, options: dict | None = None, *, created_by=None):
        super().__init__(options, created_by=created_by)
        self.naf = tuple(naf_code(n) for n in self.options.get("naf") or [] if n.strip())
        self.legal_forms = tuple(c.strip() for c in self.options.get("legal_forms") or [] if c.strip())

    @property
    def required_columns(self) -> tuple[str, ...]:
        base = ("siren", "siret", "codeCommuneEtablissement", "etatAdministratifEtablissement",
                "activitePrincipaleEtablissement", "denominationUsuelleEtablissement")
        return (*base, "categorieJuridiqueUniteLegale") if self.legal_forms else base

    def clean(self, line: int, row: dict[str, str]) -> Cleaned | None:
        insee = row["codeCommuneEtablissement"].strip().upper()
        naf = naf_code(row["activitePrincipaleEtablissement"])
        legal = row.get("categorieJuridiqueUniteLegale", "").strip()
        if (not self.keep_commune(insee) or (self.naf and not naf.startswith(self.naf))
                or (self.legal_forms and not legal.startswith(self.legal_forms))
                or row.get("statutDiffusionEtablissement", "O").strip() not in {"O", ""}):
            return None
        siret = clean_identifier(row["siret"], "siret", digits=14)
        if not siret:
            raise RowError("siret", _("SIRET absent."))
        name = text(row.get("denominationUsuelleEtablissement") or row.get("enseigne1Etablissement")
                    or row.get("denominationUniteLegale"), 255)
        if not name:
            raise RowError("denominationUsuelleEtablissement", _("Aucun nom (dénomination usuelle ou enseigne)."))
        fields: dict[str, Any] = {"name": name, "siret": siret, "siren": siret[:9]}
        if address := join_address(row.get("complementAdresseEtablissement", ""),
                                   row.get("numeroVoieEtablissement", ""), row.get("indiceRepetitionEtablissement", ""),
                                   row.get("typeVoieEtablissement", ""), row.get("libelleVoieEtablissement", "")):
            fields["address"] = address
        if postal := text(row.get("codePostalEtablissement"), 10):
            fields["postal_code"] = postal
        fields["dissolved_on"] = None
        if row["etatAdministratifEtablissement"].strip().upper() == "F":
            fields["dissolved_on"] = _date(row, "dateDebut") or timezone.localdate()
        defaults = {"profile": profile_for(legal, naf)}
        return Cleaned(line, OrganisationRow(fields, defaults, head_office=insee))


# --- the CSV / XLSX template ----------------------------------------------------------------------------
TEMPLATE_COLUMNS: list[tuple[str, str, str]] = [
    # (column, accepted English alias, documentation)
    ("nom", "name", "Obligatoire. Nom de l'organisation."),
    ("profil", "profile", "public, interet_general, entreprise, academique, accompagnateur ou reseau_national "
                          "(ou le libellé affiché). Vide : structure d'intérêt général à la création."),
    ("metiers", "trades", "Codes des métiers séparés par | : dialogue-territorial, experimentations-collectives, "
                          "accompagnement, gestion-lieu."),
    ("perimetre", "scope", "local ou national."),
    ("forme_juridique", "legal_form", "Texte libre (ex. Association déclarée, SCIC, Commune)."),
    ("siren", "siren", "9 chiffres (clé de contrôle vérifiée)."),
    ("siret", "siret", "14 chiffres (clé de contrôle vérifiée)."),
    ("rna", "rna", "W suivi de 9 caractères."),
    ("code_insee_siege", "head_office", "Code INSEE de la commune du siège (ex. 62510), pas le code postal."),
    ("code_postal", "postal_code", "Code postal."),
    ("adresse", "address", "Numéro et voie."),
    ("site_web", "website", "Adresse du site (https://…)."),
    ("courriel", "email", "Courriel de contact (jamais affiché publiquement)."),
    ("description", "description", "Présentation, en Markdown."),
    ("adhesion", "joined_on", "Date d'adhésion au réseau : AAAA-MM-JJ ou JJ/MM/AAAA."),
    ("catalyseur", "is_catalyst", "oui / non : membre du réseau."),
    ("latitude", "latitude", "Degrés décimaux (ex. 50.4586)."),
    ("longitude", "longitude", "Degrés décimaux (ex. 2.7886)."),
    ("territoires", "territories", "Territoires d'action niveau:code séparés par | (niveaux region, departement, "
                                   "epci, commune ; ex. departement:62|commune:62510)."),
    ("dissoute_le", "dissolved_on", "Date de dissolution ou de fermeture, s'il y a lieu."),
]
_ALIASES = {alias: column for column, alias, _doc in TEMPLATE_COLUMNS} | {c: c for c, _a, _d in TEMPLATE_COLUMNS}
_TRUE, _FALSE = {"oui", "o", "1", "true", "vrai", "yes", "x"}, {"non", "n", "0", "false", "faux", "no", ""}


def template_example() -> list[list[str]]:
    """The header and one example row of the template (offered for download as CSV and XLSX)."""
    return [
        [c for c, _a, _d in TEMPLATE_COLUMNS],
        ["Alliance des territoires", "interet_general", "dialogue-territorial|accompagnement", "local",
         "Association déclarée", "", "", "", "62510", "62750", "1 rue de l'Exemple", "https://exemple.org", "",
         "Une présentation en **Markdown**.", "2024-06-01", "oui", "", "", "departement:62", ""],
    ]


class TemplateImporter(OrganisationImporter):
    """The documented template (CSV with `;` or `,`, UTF-8 or Windows-1252, or XLSX): see TEMPLATE_COLUMNS."""

    format = "csv"
    label = gettext_lazy("Modèle CSV (séparateur ; ou ,)")
    source = Source.CSV
    keys = (("siret",), ("rna",), ("siren",), ("search_name", "head_office_id"))
    head_office_column = "code_insee_siege"

    def __init__(self, options: dict | None = None, *, created_by=None):
        super().__init__(options, created_by=created_by)
        self._territories: dict[str, int | None] = {}
        self._profiles = {fold(v): v for v in Profile.values} | {fold(str(label)): v for v, label in Profile.choices}

    def rows(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        checked = False
        for line, row in super().rows(path):
            row = {_ALIASES.get(k.strip().lower(), k): v for k, v in row.items()}
            if not checked and "__malformed__" not in row:
                if "nom" not in row:
                    raise ImportFailed(_("Colonne obligatoire manquante : nom (voir le modèle)."))
                checked = True
            yield line, row

    def clean(self, line: int, row: dict[str, str]) -> Cleaned | None:
        get = lambda c: str(row.get(c) or "").strip()  # noqa: E731
        insee = get("code_insee_siege").upper()
        if insee.isdigit() and len(insee) < 5:
            insee = insee.zfill(5)
        if "code_insee_siege" in row and insee and not self.keep_commune(insee):
            return None
        if self.departements and not insee:
            return None
        name = text(get("nom"), 255)
        if not name:
            raise RowError("nom", _("Nom absent."))
        warnings: list[Issue] = []
        fields: dict[str, Any] = {"name": name}
        defaults: dict[str, Any] = {}
        if profile := get("profil"):
            if fold(profile) not in self._profiles:
                raise RowError("profil", _("Profil inconnu : « %(v)s ».") % {"v": profile[:40]})
            fields["profile"] = self._profiles[fold(profile)]
        if scope := get("perimetre").lower():
            if scope not in Scope.values:
                raise RowError("perimetre", _("Périmètre inconnu : « %(v)s » (local ou national).") % {"v": scope[:40]})
            fields["scope"] = scope
        for column, kind, digits in (("siren", "siren", 9), ("siret", "siret", 14), ("rna", "rna", 0)):
            if value := clean_identifier(get(column), kind, digits=digits):
                fields[kind] = value
        if fields.get("siret") and not fields.get("siren"):
            fields["siren"] = fields["siret"][:9]
        for column, model_field, size in (("forme_juridique", "legal_form", 120), ("adresse", "address", 255),
                                          ("code_postal", "postal_code", 10)):
            if value := text(get(column), size):
                fields[model_field] = value.zfill(5) if column == "code_postal" and value.isdigit() else value
        if description := get("description"):
            fields["description"] = description
        if website := soft(warnings, line, "site_web", clean_website, get("site_web")):
            fields["website"] = website
        if email := soft(warnings, line, "courriel", clean_email, get("courriel")):
            fields["email"] = email
        for column, model_field in (("adhesion", "joined_on"), ("dissoute_le", "dissolved_on")):
            if column in row:
                fields[model_field] = _date(row, column)
        if "catalyseur" in row:
            flag = get("catalyseur").lower()
            if flag not in _TRUE | _FALSE:
                raise RowError("catalyseur", _("Attendu oui ou non : « %(v)s ».") % {"v": flag[:20]})
            fields["is_catalyst"] = flag in _TRUE
        self._coordinates(line, get("latitude"), get("longitude"), fields, warnings)
        trades = None
        if "metiers" in row:
            trades = [t.strip() for t in re.split(r"[|,;]", get("metiers")) if t.strip()]
            if unknown := [t for t in trades if t not in self.trade_ids()]:
                raise RowError("metiers", _("Métier inconnu : %(v)s.") % {"v": ", ".join(unknown)[:80]})
        territories = self._territory_ids(line, get("territoires"), warnings) if "territoires" in row else None
        if not (insee or fields.keys() & {"siren", "siret", "rna"}):
            # Without either, a second run could not recognise the organisation and would duplicate it.
            raise RowError("code_insee_siege", _("Indiquez un identifiant (SIRET, SIREN, RNA) ou la commune du siège."))
        head_office = insee if "code_insee_siege" in row else None
        return Cleaned(line, OrganisationRow(fields, defaults, head_office, trades, territories), warnings)

    @staticmethod
    def _coordinates(line: int, lat: str, lon: str, fields: dict, warnings: list[Issue]) -> None:
        if not lat and not lon:
            return
        try:
            latitude, longitude = parse_number(lat), parse_number(lon)
            if latitude is None or longitude is None:
                raise ValueError
            validate_latitude(latitude)
            validate_longitude(longitude)
        except (ValueError, ValidationError):
            warnings.append(Issue(line, "latitude", _("Coordonnées invalides, ignorées."), rejected=False))
            return
        fields.update(latitude=latitude, longitude=longitude)

    def _territory_ids(self, line: int, value: str, warnings: list[Issue]) -> list[int]:
        ids = []
        for item in (v.strip() for v in re.split(r"[|,]", value) if v.strip()):
            if item not in self._territories:
                territory = territory_from_key(item, default_level="")
                self._territories[item] = territory.pk if territory else None
            if self._territories[item] is None:
                warnings.append(Issue(line, "territoires", _("Territoire inconnu : %(v)s (attendu niveau:code).")
                                      % {"v": item[:40]}, rejected=False))
            else:
                ids.append(self._territories[item])
        return ids


class XlsxTemplateImporter(TemplateImporter):
    format = "xlsx"
    label = gettext_lazy("Modèle XLSX (Excel, LibreOffice)")
    spreadsheet = True
    max_upload_bytes = 16 * MB  # XML compresses about tenfold: more would be refused once decompressed anyway


IMPORTERS: dict[str, type[OrganisationImporter]] = {
    "csv": TemplateImporter,
    "xlsx": XlsxTemplateImporter,
    "rna": RnaImporter,
    "sirene": SireneImporter,
}

register_import(ImportKind(
    name="organisations",
    title=gettext_lazy("Importer des organisations"),
    importers=IMPORTERS,
    form=OrganisationImportForm,
    parent=(gettext_lazy("Organisations"), "actors:list"),
    upload_template="actors/import.html",
    detail_template="actors/import_detail.html",
    template_rows=template_example,
    template_columns=TEMPLATE_COLUMNS,
))
