"""The organisations export, on the one export framework (`catalyse.core.exports`): its columns, schema.org
JSON-LD and GoGoCarto elements. Served by `actors:export` and documented on the open-data page (`/donnees/`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from catalyse.core.exports import Column, Export, register
from catalyse.core.markdown import markdown_text_converter
from catalyse.territories.keys import territory_key

from .models import Profile


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
               lambda o: [territory_key(level, code) for level, code, _name in _territory_refs(o)], "departement:62"),
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
