"""Typology of communes and EPCI, derived from EPCI type and population (see docs/data-model.md).

Rules, first match wins:

Commune
1. outre-mer — the commune is in a DROM or a COM;
2. métropole — member of a Métropole (including the Métropole de Lyon);
3. urbain — 50,000 inhabitants or more, or 10,000 or more inside a communauté urbaine;
4. ville moyenne — 10,000 to 49,999 inhabitants;
5. périurbain — under 10,000 inhabitants inside a communauté d'agglomération or urbaine;
6. rural — everything else (under 10,000 in a communauté de communes, or in no EPCI).

EPCI
1. outre-mer; 2. métropole (METRO, MET69); 3. urbain (CU, or CA of 250,000 inhabitants or more);
4. ville moyenne (other CA, or a CC around a town of 10,000 or more); 5. rural (other CC).

An animator can set `typology_override` on any territory; it wins over the computed value.
"""

from .models import EpciType, Typology, Zone

METROPOLES = {EpciType.METRO, EpciType.MET69}
AGGLOMERATIONS = {EpciType.CA, EpciType.CU}


def commune_typology(*, zone: str, population: int | None, epci_type: str | None) -> str:
    pop = population or 0
    if zone != Zone.METRO:
        return Typology.OUTRE_MER
    if epci_type in METROPOLES:
        return Typology.METROPOLE
    if pop >= 50_000 or (pop >= 10_000 and epci_type == EpciType.CU):
        return Typology.URBAIN
    if pop >= 10_000:
        return Typology.VILLE_MOYENNE
    if epci_type in AGGLOMERATIONS:
        return Typology.PERIURBAIN
    return Typology.RURAL


def epci_typology(*, zone: str, population: int | None, epci_type: str, largest_commune: int) -> str:
    if zone != Zone.METRO:
        return Typology.OUTRE_MER
    if epci_type in METROPOLES:
        return Typology.METROPOLE
    if epci_type == EpciType.CU or (epci_type == EpciType.CA and (population or 0) >= 250_000):
        return Typology.URBAIN
    if epci_type == EpciType.CA or largest_commune >= 10_000:
        return Typology.VILLE_MOYENNE
    return Typology.RURAL
