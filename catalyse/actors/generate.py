"""Synthetic organisations for demonstrations and benchmarks (`catalyse generate --organisations N`).

Every row is marked `is_fictitious=True, source="generated"`. Head offices are real communes drawn in
proportion to their population, so a national dataset has the shape of France (many actors in cities,
some in every rural département, overseas included); names follow the patterns of each profile; SIREN,
SIRET and RNA numbers are well-formed (Luhn keys) and unique.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from catalyse.core.generate import (
    BulkWriter,
    SlugAllocator,
    analyse,
    growing_date,
    next_pk,
    paragraph,
    reset_sequences,
)
from catalyse.core.generate import delete_dependents as _delete_dependents
from catalyse.core.text import fold
from catalyse.territories.models import Kind, Level, Territory

from .models import Competence, Organisation, Profile, PublicationStatus, Scope, Source, Trade

# Shares by profile; the report's network is two-thirds local actors and one-third national networks
# (scope), which SCOPE_NATIONAL reproduces once the national-network profile is counted.
PROFILE_WEIGHTS = {
    Profile.GENERAL_INTEREST: 38, Profile.PUBLIC_ACTOR: 17, Profile.COMPANY: 14, Profile.SUPPORT: 12,
    Profile.ACADEMIC: 5, Profile.NATIONAL_NETWORK: 14,
}
# P(scope = national) for profiles other than national networks: 0.14 + 0.86 * 0.225 ≈ 0.33 overall.
SCOPE_NATIONAL = 0.225
TRADE_PROBABILITY = {
    "dialogue-territorial": 0.7, "accompagnement": 0.55, "experimentations-collectives": 0.45, "gestion-lieu": 0.25,
}
STATUS_WEIGHTS = {PublicationStatus.PUBLISHED: 90, PublicationStatus.PENDING: 6, PublicationStatus.DRAFT: 4}
CATALYST_SHARE = 0.4
NETWORK_START = date(2012, 1, 1)

LEGAL_FORMS = {
    Profile.PUBLIC_ACTOR: ["Commune", "Communauté de communes", "Établissement public", "Syndicat mixte"],
    Profile.GENERAL_INTEREST: ["Association loi 1901", "Association loi 1901", "Fondation", "SCIC", "SIAE"],
    Profile.COMPANY: ["SAS", "SARL", "SA", "SCOP"],
    Profile.ACADEMIC: ["Établissement public", "Établissement d'enseignement supérieur"],
    Profile.SUPPORT: ["Association loi 1901", "SCIC", "SCOP", "GIP"],
    Profile.NATIONAL_NETWORK: ["Association loi 1901", "Fédération", "Union"],
}

# Word lists for names: invented, never people's names.
_NOUNS = [
    "Colibris", "Passerelles", "Racines", "Horizons", "Ateliers", "Jardins", "Chemins", "Ponts", "Sources",
    "Ruches", "Semeurs", "Bâtisseurs", "Voisins", "Liens", "Tisserands", "Compagnons", "Récoltes", "Étincelles",
]
# Invariable in gender, so that they fit every noun.
_ADJECTIVES = ["solidaires", "d'avenir", "en transition", "en partage", "du territoire", "en réseau", "de demain",
               "en commun"]
_CAUSES = [
    "l'insertion", "l'emploi", "la mobilité", "l'éducation populaire", "l'alimentation durable", "la santé",
    "la culture", "le numérique", "le logement", "la transition écologique", "l'économie circulaire", "la jeunesse",
]
_GI_PATTERNS = [
    "Association {noun} {adj} de {commune}", "Les {noun} {adj}", "Régie de quartier de {commune}",
    "Chantier d'insertion {noun} {adj}", "Ressourcerie de {commune}", "Fondation pour {cause}",
    "SCIC {noun} {adj}", "Maison des associations de {commune}", "Centre social de {commune}",
    "Tiers-lieu {noun} {adj}", "Épicerie solidaire de {commune}", "Association pour {cause} du pays de {commune}",
]
_PUBLIC_PATTERNS = [
    "{epci}", "{epci}", "Commune de {commune}", "Centre communal d'action sociale de {commune}",
    "Maison France services de {commune}", "Maison départementale des solidarités de {commune}",
    "Syndicat mixte du pays de {commune}",
]
_COMPANY_ROOTS = ["Alti", "Terra", "Nova", "Vita", "Hexa", "Logi", "Agri", "Flori", "Orba", "Sola", "Lumi", "Ardo"]
_COMPANY_ENDINGS = ["via", "tec", "nov", "lia", "dis", "mat", "sens", "tis", "gram", "line"]
_COMPANY_TRADES = [
    "Conseil", "Industrie", "Services", "Ingénierie", "Transports", "Bâtiment", "Numérique", "Énergies",
    "Imprimerie", "Menuiserie", "Distribution", "Environnement",
]
_ACADEMIC_PATTERNS = [
    "Université de {commune}", "IUT de {commune}", "Laboratoire de recherche sur {cause}",
    "École supérieure de {commune}",
    "Chaire {cause} et territoires", "Lycée professionnel de {commune}", "Institut régional de {cause}",
]
_SUPPORT_PATTERNS = [
    "Incubateur {noun} {adj}", "Pôle territorial de coopération économique de {commune}",
    "Coopérative d'activités et d'emploi {noun}", "Couveuse d'entreprises de {commune}",
    "Agence de développement de {commune}", "Dispositif local d'accompagnement de {commune}",
    "Fabrique à initiatives {noun} {adj}",
]
_NETWORK_PATTERNS = [
    "Réseau national des {noun} {adj}", "Fédération des acteurs de {cause}", "Union nationale pour {cause}",
    "Mouvement des {noun} {adj}", "Collectif national pour {cause}", "Réseau des tiers-lieux {adj}",
]
_STREETS = ["rue", "avenue", "place", "boulevard", "chemin", "allée", "impasse", "quai"]
_STREET_NAMES = [
    "de la République", "des Tilleuls", "de la Gare", "du Marché", "des Écoles", "de l'Église", "du Moulin",
    "des Lilas", "de la Mairie", "du Stade", "des Jardins", "du Port", "de la Liberté", "des Vignes",
]
_EPCI_PREFIX = {"CC ": "Communauté de communes ", "CA ": "Communauté d'agglomération ",
                "CU ": "Communauté urbaine "}


def luhn_complete(digits: str) -> str:
    """`digits` followed by the Luhn check digit that makes the whole number valid."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # positions that will be doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


@dataclass
class Commune:
    pk: int
    name: str
    code: str
    postal_code: str
    region_id: int | None
    departement_id: int | None
    epci_id: int | None
    typology: str
    latitude: float | None
    longitude: float | None


class Referential:
    """The communes (with cumulative population weights), EPCI and département names, read once."""

    def __init__(self):
        has_point = any(f.name == "latitude" for f in Territory._meta.get_fields())
        columns = ["pk", "name", "code", "postal_codes", "population", "region_id", "departement_id", "epci_id",
                   "typology_computed", "typology_override"] + (["latitude", "longitude"] if has_point else [])
        self.communes: list[Commune] = []
        weights = []
        rows = Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT).order_by("pk").values_list(*columns)
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            self.communes.append(Commune(
                pk=values["pk"], name=values["name"], code=values["code"],
                postal_code=(values["postal_codes"] or "").split(" ")[0],
                region_id=values["region_id"], departement_id=values["departement_id"], epci_id=values["epci_id"],
                typology=values["typology_override"] or values["typology_computed"] or "",
                latitude=values.get("latitude"), longitude=values.get("longitude"),
            ))
            weights.append(values["population"] or 1)
        if not self.communes:
            raise ValueError("Le référentiel des territoires est vide : lancez d'abord `catalyse load_territories`.")
        self.cum_weights = []
        total = 0
        for w in weights:
            total += w
            self.cum_weights.append(total)
        upper = Territory.objects.filter(level__in=[Level.EPCI, Level.DEPARTEMENT], kind=Kind.CURRENT)
        self.names = dict(upper.values_list("pk", "name"))
        self.epci_names = {pk: self._epci_name(name) for pk, name in
                           upper.filter(level=Level.EPCI).values_list("pk", "name")}

    @staticmethod
    def _epci_name(name: str) -> str:
        for short, long in _EPCI_PREFIX.items():
            if name.startswith(short):
                return long + name[len(short):]
        return name

    def draw(self, rng: random.Random, k: int) -> list[Commune]:
        return rng.choices(self.communes, cum_weights=self.cum_weights, k=k)


_ELISIONS = [(re.compile(r"\bde Le "), "du "), (re.compile(r"\bde Les "), "des "),
             (re.compile(r"\bde ([AEIOUYÉÈÊÎÔ])"), r"d'\1")]


def _fill(pattern: str, rng: random.Random, commune: Commune, ref: Referential) -> str:
    name = pattern.format(
        noun=rng.choice(_NOUNS), adj=rng.choice(_ADJECTIVES), cause=rng.choice(_CAUSES), commune=commune.name,
        epci=ref.epci_names.get(commune.epci_id) or f"Commune de {commune.name}",
    )
    if "de " in name:
        for pattern_, replacement in _ELISIONS:
            name = pattern_.sub(replacement, name)
    return name


def organisation_name(rng: random.Random, profile: str, commune: Commune, ref: Referential) -> str:
    if profile == Profile.COMPANY:
        return f"{rng.choice(_COMPANY_ROOTS)}{rng.choice(_COMPANY_ENDINGS)} {rng.choice(_COMPANY_TRADES)}"
    patterns = {
        Profile.GENERAL_INTEREST: _GI_PATTERNS, Profile.PUBLIC_ACTOR: _PUBLIC_PATTERNS,
        Profile.ACADEMIC: _ACADEMIC_PATTERNS, Profile.SUPPORT: _SUPPORT_PATTERNS,
        Profile.NATIONAL_NETWORK: _NETWORK_PATTERNS,
    }[profile]
    return _fill(rng.choice(patterns), rng, commune, ref)


class Identifiers:
    """Unique, valid SIREN/SIRET/RNA numbers: a walk through the number space with a stride coprime to its
    size visits every number once; numbers already in the base are skipped."""

    def __init__(self, rng: random.Random):
        taken = Organisation.objects.exclude(siren="", siret="", rna="").values_list("siren", "siret", "rna")
        self.sirens, self.sirets, self.rnas = set(), set(), set()
        for siren, siret, rna in taken.iterator(chunk_size=10_000):
            self.sirens.add(siren)
            self.sirets.add(siret)
            self.rnas.add(rna)
        self._siren = rng.randrange(10**7, 10**8)
        self._rna = rng.randrange(10**6)

    def siren(self) -> str:
        while True:
            self._siren = (self._siren + 7_919_003) % 10**8
            value = luhn_complete(f"{self._siren:08d}")
            if value not in self.sirens and not value.startswith("356000000"):
                self.sirens.add(value)
                return value

    def siret(self, siren: str) -> str:
        # The head office's establishment number: 4 digits and a key making the 14 digits Luhn-valid.
        value = luhn_complete(siren + "0001")
        if value in self.sirets:
            value = luhn_complete(siren + "0002")
        self.sirets.add(value)
        return value

    def rna(self, departement_code: str) -> str:
        while True:
            self._rna = (self._rna + 613_297) % 10**6
            value = f"W{departement_code[:3].rjust(3, '0')}{self._rna:06d}"
            if value not in self.rnas:
                self.rnas.add(value)
                return value


def organisations_generate(
    *, count: int, seed: int = 0, batch: int = 10_000, progress: Callable[[int], None] | None = None
) -> int:
    """Create `count` fictitious organisations; returns how many were written."""
    rng = random.Random(seed)
    ref = Referential()
    ids = Identifiers(rng)
    slugs = SlugAllocator(Organisation.objects.values_list("slug", flat=True).iterator(chunk_size=50_000))
    trades = list(Trade.objects.values_list("pk", "code"))
    competences_by_trade: dict[int, list[int]] = {}
    for pk, trade_id in Competence.objects.values_list("pk", "trade_id"):
        competences_by_trade.setdefault(trade_id, []).append(pk)
    dep_codes = dict(Territory.objects.filter(level=Level.DEPARTEMENT, kind=Kind.CURRENT).values_list("pk", "code"))
    profiles, profile_weights = list(PROFILE_WEIGHTS), list(PROFILE_WEIGHTS.values())
    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    today = date.today()

    orgs = BulkWriter(Organisation)
    trade_links = BulkWriter(Organisation.trades.through)
    competence_links = BulkWriter(Organisation.competences.through)
    territory_links = BulkWriter(Organisation.territories.through)
    pk = next_pk(Organisation)
    link_pks = {w: next_pk(w.model) for w in (trade_links, competence_links, territory_links)}
    done = 0
    while done < count:
        n = min(batch, count - done)
        rows, trade_rows, competence_rows, territory_rows = [], [], [], []
        for commune, profile, status in zip(
            ref.draw(rng, n), rng.choices(profiles, profile_weights, k=n), rng.choices(statuses, status_weights, k=n),
            strict=True,
        ):
            name = organisation_name(rng, profile, commune, ref)
            folded = fold(name)
            slug = slugs.allocate(folded)
            scope = Scope.NATIONAL if profile == Profile.NATIONAL_NETWORK or rng.random() < SCOPE_NATIONAL \
                else Scope.LOCAL
            siren = siret = rna = ""
            if profile in (Profile.GENERAL_INTEREST, Profile.SUPPORT, Profile.NATIONAL_NETWORK) and rng.random() < .8:
                rna = ids.rna(dep_codes.get(commune.departement_id, "000"))
            if profile != Profile.PUBLIC_ACTOR and rng.random() < 0.7:
                siren = ids.siren()
                if profile == Profile.COMPANY or rng.random() < 0.5:
                    siret = ids.siret(siren)
            is_catalyst = rng.random() < CATALYST_SHARE
            lat = commune.latitude + rng.uniform(-0.02, 0.02) if commune.latitude is not None else None
            lon = commune.longitude + rng.uniform(-0.03, 0.03) if commune.longitude is not None else None
            rows.append({
                "id": pk, "name": name, "search_name": folded, "slug": slug, "profile": profile,
                "legal_form": rng.choice(LEGAL_FORMS[profile]), "scope": scope, "head_office_id": commune.pk,
                "address": f"{rng.randint(1, 120)} {rng.choice(_STREETS)} {rng.choice(_STREET_NAMES)}",
                "postal_code": commune.postal_code, "latitude": lat, "longitude": lon,
                "website": f"https://{slug[:50]}.example.org" if rng.random() < 0.5 else "",
                "description": paragraph(rng), "siren": siren, "siret": siret, "rna": rna,
                "joined_on": growing_date(rng, NETWORK_START, today).isoformat() if is_catalyst else None,
                "is_catalyst": is_catalyst, "status": status,
                "dissolved_on": growing_date(rng, NETWORK_START, today).isoformat() if rng.random() < 0.01 else None,
                "is_fictitious": True, "source": Source.GENERATED, "region_id": commune.region_id,
                "departement_id": commune.departement_id, "typology": commune.typology,
            })
            chosen = [t for t, code in trades if rng.random() < TRADE_PROBABILITY.get(code, 0.4)] or \
                [rng.choice(trades)[0]]
            for trade_id in chosen:
                trade_rows.append({"id": _take(link_pks, trade_links), "organisation_id": pk, "trade_id": trade_id})
                for competence_id in rng.sample(competences_by_trade.get(trade_id, []),
                                                k=min(2, len(competences_by_trade.get(trade_id, [])))):
                    competence_rows.append({"id": _take(link_pks, competence_links), "organisation_id": pk,
                                            "competence_id": competence_id})
            if scope == Scope.LOCAL:
                # Local actors act on their EPCI (or their commune when it belongs to none).
                territory_rows.append({"id": _take(link_pks, territory_links), "organisation_id": pk,
                                       "territory_id": commune.epci_id or commune.pk})
            pk += 1
        with transaction.atomic():
            orgs.write(rows)
            trade_links.write(trade_rows)
            competence_links.write(competence_rows)
            territory_links.write(territory_rows)
        done += n
        if progress:
            progress(done)
    reset_sequences(Organisation, *(w.model for w in link_pks))
    analyse(Organisation)
    return done


def _take(counters: dict, writer: BulkWriter) -> int:
    value = counters[writer]
    counters[writer] = value + 1
    return value


def generated_organisations():
    return Organisation.objects.filter(is_fictitious=True, source=Source.GENERATED)


def organisations_clear() -> int:
    """Delete every generated organisation and what points at it (set-based: fast at a million rows)."""
    doomed = generated_organisations()
    count = doomed.count()
    with transaction.atomic():
        _delete_dependents(Organisation, doomed)
        doomed._raw_delete(doomed.db)
    return count
