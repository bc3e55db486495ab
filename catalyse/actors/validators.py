"""French organisation identifiers: SIREN, SIRET (INSEE) and RNA (associations register); coordinates.

One validator per rule, shared by the form (and so the API, which goes through it) and the imports."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"  # its SIRET, the one La Poste number that follows Luhn
_RNA = re.compile(r"^W[0-9A-Z]{9}$")


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def normalize_identifier(value: str) -> str:
    """Drop spaces, dots and dashes people type inside identifiers; uppercase letters."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def is_valid_siren(value: str) -> bool:
    return len(value) == 9 and value.isdigit() and luhn_valid(value)


def is_valid_siret(value: str) -> bool:
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        # La Poste's establishments share one SIREN and are numbered beyond what Luhn allows: INSEE checks
        # instead that the sum of the digits is a multiple of 5 (the head office keeps the Luhn rule).
        return sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value)


def is_valid_rna(value: str) -> bool:
    return bool(_RNA.match(value))


def validate_siren(value: str) -> None:
    if value and not is_valid_siren(value):
        raise ValidationError(_("SIREN invalide : 9 chiffres avec une clé de contrôle (Luhn) correcte."), code="siren")


def validate_siret(value: str) -> None:
    if value and not is_valid_siret(value):
        raise ValidationError(_("SIRET invalide : 14 chiffres avec une clé de contrôle correcte."), code="siret")


def validate_rna(value: str) -> None:
    if value and not is_valid_rna(value):
        raise ValidationError(_("Numéro RNA invalide : la lettre W suivie de 9 caractères."), code="rna")


def validate_latitude(value: float | None) -> None:
    # Written so that NaN fails too: every comparison with NaN is false.
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Latitude hors limites : entre -90 et 90 degrés."), code="latitude")


def validate_longitude(value: float | None) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Longitude hors limites : entre -180 et 180 degrés."), code="longitude")
