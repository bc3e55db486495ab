"""The one export framework: an export is a stream of objects plus a list of columns; writers turn it into
CSV, XLSX, JSON, GeoJSON, schema.org JSON-LD and GoGoCarto JSON, always streaming (constant memory).

Other apps declare an `Export` and `register()` it; the open-data catalogue page (`/donnees/`) documents
every registered export field by field, and `export_response()` serves any of them in any format it supports.

Format choices, documented on `/donnees/`:
- CSV: UTF-8 with a byte-order mark (so that spreadsheet software detects the encoding), comma-separated,
  RFC 4180 quoting; several values in one cell are joined by " | ". Text cells that a spreadsheet would run
  as a formula (starting with = + - @) are prefixed with an apostrophe.
- XLSX: one sheet, header row, same cell contents as the CSV (formulas are never written).
- JSON: an array of objects keyed by the column names; several values are arrays.
- GeoJSON (RFC 7946): a FeatureCollection of points, only rows that have a position.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import markdown
import nh3
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Profile

LICENCE = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LIST_SEPARATOR = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Characters and line starts that mean something in Markdown (emphasis, code, headings, links, HTML, lists,
# tables, setext underlines); a text with none of them renders as itself.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_#\[\]<>&!|~]|^\s*(?:[-+]|\d+[.)])\s|^[=-]{2,}\s*$", re.M)


@dataclass(frozen=True)
class Column:
    name: str  # CSV header and JSON key: stable, documented, never translated
    description: str  # shown on the open-data catalogue page
    value: Callable[[Any], Any]  # object -> str | int | float | bool | date | list | None
    example: str = ""


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[HttpRequest], Iterable[Any]]  # what this request may see, filtered by its query string
    url_name: str  # URL pattern taking a `fmt` argument
    point: Callable[[Any], tuple[float, float] | None] | None = None  # (latitude, longitude)
    jsonld: Callable[[Any, HttpRequest], dict] | None = None  # one schema.org item
    gogocarto: Callable[[Any, HttpRequest], dict] | None = None  # one GoGoCarto element
    notes: list[str] = field(default_factory=list)

    @property
    def formats(self) -> list[str]:
        optional = {"geojson": self.point, "jsonld": self.jsonld, "gogocarto": self.gogocarto}
        return [fmt for fmt in FORMATS if optional.get(fmt, True) is not None]


REGISTRY: dict[str, Export] = {}


def register(export: Export) -> Export:
    REGISTRY[export.slug] = export
    return export


# ---- cell values -------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO 8601, lists kept as lists."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> Any:
    """A spreadsheet-ready value: lists joined, dates as ISO text, formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def record(columns: list[Column], obj: Any) -> dict[str, Any]:
    return {c.name: _plain(c.value(obj)) for c in columns}


def _dumps(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


# ---- writers (generators of text chunks) -------------------------------------------------------------------

def write_csv(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    yield "\ufeff" + buffer.getvalue()
    for obj in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(c.value(obj)) for c in columns])
        yield buffer.getvalue()


def _json_array(items: Iterable[Any], *, head: str = "[", tail: str = "]") -> Iterator[str]:
    yield head
    separator = ""
    for item in items:
        yield separator + _dumps(item)
        separator = ",\n"
    yield tail


def write_json(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    return _json_array(record(columns, obj) for obj in rows)


def write_geojson(columns: list[Column], rows: Iterable[Any], point: Callable) -> Iterator[str]:
    def features():
        for obj in rows:
            if (position := point(obj)) is not None:
                latitude, longitude = position
                yield {"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                       "properties": record(columns, obj)}

    return _json_array(features(), head='{"type": "FeatureCollection", "features": [', tail="]}")


def write_jsonld(rows: Iterable[Any], to_item: Callable[[Any], dict], *, name: str) -> Iterator[str]:
    def items():
        for position, obj in enumerate(rows, start=1):
            item = to_item(obj)
            item.pop("@context", None)  # given once, at the top
            yield {"@type": "ListItem", "position": position, "item": item}

    head = (f'{{"@context": "https://schema.org", "@type": "ItemList", "name": {_dumps(name)}, '
            f'"license": {_dumps(LICENCE_URL)}, "itemListElement": [')
    return _json_array(items(), head=head, tail="]}")


def write_gogocarto(rows: Iterable[Any], to_element: Callable[[Any], dict]) -> Iterator[str]:
    # The shape GoGoCarto's own API serves and its JSON import reads: elements under "data".
    head = f'{{"licence": {_dumps(LICENCE_URL)}, "ontology": "gogofull", "data": ['
    return _json_array((to_element(obj) for obj in rows), head=head, tail="]}")


def write_xlsx(columns: list[Column], rows: Iterable[Any], *, title: str) -> io.BufferedRandom:
    """An XLSX file in a temporary file: openpyxl's write-only mode keeps memory flat whatever the size."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([c.name for c in columns])
    for obj in rows:
        cells = []
        for c in columns:
            value = _cell(c.value(obj))
            cell = WriteOnlyCell(sheet, value=_XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    output = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    workbook.save(output)
    output.seek(0)
    return output


FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "json": ("application/json", "JSON"),
    "geojson": ("application/geo+json", "GeoJSON"),
    "jsonld": ("application/ld+json", "schema.org JSON-LD"),
    "gogocarto": ("application/json", "GoGoCarto (JSON)"),
}
EXTENSIONS = {"gogocarto": "gogocarto.json"}


def export_response(export: Export, fmt: str, request: HttpRequest):
    """Serve `export` in `fmt` as a download, streamed from the database cursor."""
    content_type = FORMATS[fmt][0]
    filename = f"{export.slug}.{EXTENSIONS.get(fmt, fmt)}"
    rows = export.rows(request)
    if fmt == "xlsx":
        return FileResponse(write_xlsx(export.columns, rows, title=export.slug), as_attachment=True,
                            filename=filename, content_type=content_type)
    if fmt == "csv":
        chunks = write_csv(export.columns, rows)
    elif fmt == "json":
        chunks = write_json(export.columns, rows)
    elif fmt == "geojson":
        chunks = write_geojson(export.columns, rows, export.point)
    elif fmt == "jsonld":
        chunks = write_jsonld(rows, lambda obj: export.jsonld(obj, request), name=export.title)
    else:
        chunks = write_gogocarto(rows, lambda obj: export.gogocarto(obj, request))
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: other maps may fetch it directly
    return response


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> SafeString:
    """A `<script type="application/ld+json">` block; `<`, `>` and `&` are escaped so that no text in the data
    can close the script element (the same escaping as Django's json_script)."""
    payload = _dumps(data).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


# ---- the organisations export --------------------------------------------------------------------------------

def markdown_text_converter() -> Callable[[str], str]:
    """Markdown → plain text for exports, reusing one parser: building a parser costs more than converting
    a short description, and an export converts thousands. Not thread-safe: one converter per export."""
    parser = markdown.Markdown(extensions=["extra", "sane_lists"])

    def text(source: str) -> str:
        if not _MARKDOWN_SYNTAX.search(source):  # most descriptions are plain prose: nothing to convert
            return source.strip()
        return html.unescape(nh3.clean(parser.reset().convert(source), tags=set())).strip()

    return text


def _organisation_rows(request: HttpRequest) -> Iterator[Any]:
    from .queries import OrganisationFilters, organisations_export

    # One reverse() for the whole export: "https://host/organisations/<slug>/" with the slug swapped in.
    page = request.build_absolute_uri(reverse("actors:detail", args=["slug"])).rsplit("slug/", 1)[0]
    to_text = markdown_text_converter()
    profile_labels = {value: str(label) for value, label in Profile.choices}  # translated once, not per row
    for org in organisations_export(request.user, OrganisationFilters.from_params(request.GET)):
        org.page_url = f"{page}{org.slug}/"
        org.description_text = to_text(org.description)
        org.profile_label = profile_labels[org.profile]
        yield org


def _point(org) -> tuple[float, float] | None:
    return None if org.latitude is None or org.longitude is None else (org.latitude, org.longitude)


# An organisation read by queries.organisations_export() carries its related names as plain lists; one read
# for its page does not: these accessors serve both.
def _description_text(org) -> str:
    if not hasattr(org, "description_text"):
        org.description_text = markdown_text_converter()(org.description)
    return org.description_text


def _profile_label(org) -> str:
    return getattr(org, "profile_label", None) or str(org.get_profile_display())


def _trade_names(org) -> list[str]:
    return org.trade_names if hasattr(org, "trade_names") else [t.name for t in org.trades.all()]


def _competence_names(org) -> list[str]:
    return org.competence_names if hasattr(org, "competence_names") else [c.name for c in org.competences.all()]


def _territory_refs(org) -> list[tuple[str, str, str]]:
    if hasattr(org, "territory_refs"):
        return org.territory_refs
    return [(t.level, t.code, t.name) for t in org.territories.all()]


def organisation_jsonld(org, request: HttpRequest) -> dict:
    """A schema.org Organization (https://schema.org/Organization); never the contact email."""
    page = getattr(org, "page_url", None) or request.build_absolute_uri(org.get_absolute_url())
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "@id": page,
                            "name": org.name, "url": org.website or page, "mainEntityOfPage": page}
    if org.description:
        data["description"] = _description_text(org)
    if org.logo:
        data["logo"] = request.build_absolute_uri(org.logo.url)
    identifiers = [(label, value) for label, value in (("SIREN", org.siren), ("SIRET", org.siret), ("RNA", org.rna))
                   if value]
    if identifiers:
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in identifiers]
    if org.siret:
        data["taxID"] = org.siret
    if org.head_office_id:
        data["address"] = {"@type": "PostalAddress", "streetAddress": org.address or None,
                           "postalCode": org.postal_code or None, "addressLocality": org.head_office.name,
                           "addressCountry": "FR"}
        data["address"] = {k: v for k, v in data["address"].items() if v}
    if (position := _point(org)) is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": position[0], "longitude": position[1]}
    territories = _territory_refs(org)
    if territories:
        data["areaServed"] = [{"@type": "AdministrativeArea", "name": name} for _level, _code, name in territories]
    trades = _trade_names(org) + _competence_names(org)
    if trades:
        data["knowsAbout"] = trades
    if org.is_catalyst:
        # schema.org's way to say "member since": a Role wrapping the organisation it belongs to.
        data["memberOf"] = {"@type": "OrganizationRole", "memberOf": {"@type": "Organization",
                            "name": "Réseau des catalyseurs territoriaux"}}
        if org.joined_on:
            data["memberOf"]["startDate"] = org.joined_on.isoformat()
    if org.dissolved_on:
        data["dissolutionDate"] = org.dissolved_on.isoformat()
    return data


def organisation_gogocarto(org, request: HttpRequest) -> dict:
    """One GoGoCarto element: id, name, geo, address, categories, description, website and our own fields."""
    element: dict[str, Any] = {
        "id": org.slug,
        "name": org.name,
        "categories": [_profile_label(org), *_trade_names(org)],
        "description": _description_text(org)[:250],
        "website": org.website,
        "sourceKey": "Catalyse",
        "url": getattr(org, "page_url", None) or request.build_absolute_uri(org.get_absolute_url()),
        "profil": org.profile,
        "perimetre": org.scope,
        "catalyseur": org.is_catalyst,
    }
    if (position := _point(org)) is not None:
        element["geo"] = {"latitude": position[0], "longitude": position[1]}
    if org.head_office_id:
        element["address"] = {"streetAddress": org.address, "postalCode": org.postal_code,
                               "addressLocality": org.head_office.name, "addressCountry": "FR"}
    return element


ORGANISATIONS = register(Export(
    slug="organisations",
    title="Annuaire des catalyseurs territoriaux",
    description="Les organisations publiées de l'annuaire (acteurs publics, structures d'intérêt général, "
                "entreprises, acteurs académiques, accompagnateurs, réseaux nationaux), avec leurs métiers, "
                "leur périmètre et leurs territoires d'action. Les filtres de l'annuaire s'appliquent à l'export.",
    url_name="actors:export",
    columns=[
        Column("id", "Identifiant stable de l'organisation dans Catalyse (slug).", lambda o: o.slug,
               "base-11-19"),
        Column("nom", "Nom usuel.", lambda o: o.name),
        Column("url", "Adresse de la fiche publique.", lambda o: o.page_url),
        Column("profil", "Code du profil : public, interet_general, entreprise, academique, accompagnateur, "
               "reseau_national.", lambda o: o.profile, "interet_general"),
        Column("profil_libelle", "Libellé du profil.", _profile_label),
        Column("forme_juridique", "Forme juridique déclarée (texte libre).", lambda o: o.legal_form),
        Column("perimetre", "local (acteur local) ou national (réseau national).", lambda o: o.scope, "local"),
        Column("metiers", "Métiers de catalyseur exercés (liste).", _trade_names, "Dialogue territorial"),
        Column("competences", "Compétences déclarées (liste).", _competence_names),
        Column("siege_code_insee", "Code officiel géographique (INSEE) de la commune du siège.",
               lambda o: o.head_office.code if o.head_office_id else "", "62528"),
        Column("siege_commune", "Nom de la commune du siège.",
               lambda o: o.head_office.name if o.head_office_id else ""),
        Column("departement", "Code du département du siège.",
               lambda o: o.departement.code if o.departement_id else "", "62"),
        Column("region", "Code de la région du siège.", lambda o: o.region.code if o.region_id else "", "32"),
        Column("typologie", "Typologie du territoire du siège (metropole, urbain, ville_moyenne, periurbain, "
               "rural, outre_mer).", lambda o: o.typology),
        Column("adresse", "Adresse postale du siège (voie).", lambda o: o.address),
        Column("code_postal", "Code postal du siège.", lambda o: o.postal_code),
        Column("latitude", "Latitude WGS 84 (degrés décimaux), si connue.", lambda o: o.latitude),
        Column("longitude", "Longitude WGS 84 (degrés décimaux), si connue.", lambda o: o.longitude),
        Column("territoires_action", "Territoires d'action, au format niveau:code (liste).",
               lambda o: [f"{level}:{code}" for level, code, _name in _territory_refs(o)], "departement:62"),
        Column("site_web", "Site web.", lambda o: o.website),
        Column("siren", "Numéro SIREN (9 chiffres).", lambda o: o.siren),
        Column("siret", "Numéro SIRET du siège (14 chiffres).", lambda o: o.siret),
        Column("rna", "Numéro au Répertoire national des associations (W suivi de 9 caractères).", lambda o: o.rna),
        Column("catalyseur", "Membre du réseau des catalyseurs (vrai) ou acteur connu du réseau (faux).",
               lambda o: o.is_catalyst),
        Column("adhesion", "Date d'adhésion au réseau (AAAA-MM-JJ).", lambda o: o.joined_on),
        Column("dissoute_le", "Date de dissolution ou de fermeture, le cas échéant.", lambda o: o.dissolved_on),
        Column("fictive", "Organisation fictive créée pour la démonstration.", lambda o: o.is_fictitious),
        Column("description", "Présentation en texte brut (sans mise en forme).", _description_text),
        Column("mise_a_jour", "Date et heure de la dernière modification de la fiche.", lambda o: o.updated_at),
    ],
    rows=_organisation_rows,
    point=_point,
    jsonld=organisation_jsonld,
    gogocarto=organisation_gogocarto,
    notes=["Le courriel de contact des organisations n'est jamais exporté.",
           "Seules les organisations publiées figurent dans les exports publics."],
))
