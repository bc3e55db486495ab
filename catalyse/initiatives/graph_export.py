"""The partnership graph as two CSV tables in the elements/connections layout that network-mapping tools
(Kumu and the like) import: one row per organisation (element), one row per pair of partners (connection).

Elements start with ID (the organisation's slug, stable and unique, so that homonyms stay apart and a re-import
updates rather than duplicates), then Label and Type; connections start with From and To (element IDs), then
Type and Weight. Several values in one cell are separated by "|", as those tools expect. Cells are written by
the shared export framework (UTF-8 with BOM, formula-like text neutralised).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from catalyse.core.exports import Column, write_csv

ELEMENT_COLUMNS = [
    Column("ID", "identifiant de l'organisation (slug)", lambda n: n["id"]),
    Column("Label", "nom de l'organisation", lambda n: n["label"]),
    Column("Type", "profil", lambda n: n["profile_label"]),
    Column("Profile code", "code du profil", lambda n: n["profile"]),
    Column("Initiatives", "nombre d'initiatives partagées visibles", lambda n: n["initiatives"]),
    Column("Degree", "nombre de partenaires distincts", lambda n: n["degree"]),
    Column("Strength", "somme des poids des liens", lambda n: n["strength"]),
    Column("Betweenness", "intermédiarité normalisée (0 à 1)", lambda n: n["betweenness"]),
    Column("Articulation point", "son retrait coupe le réseau en morceaux", lambda n: n["articulation"]),
    Column("URL", "page de l'organisation", lambda n: n["url"]),
]

CONNECTION_COLUMNS = [
    Column("From", "ID de la première organisation", lambda e: e["source"]),
    Column("To", "ID de la seconde organisation", lambda e: e["target"]),
    Column("Type", "nature du lien", lambda e: "Partenariat"),
    Column("Weight", "nombre d'initiatives partagées", lambda e: e["weight"]),
    Column("Initiatives", "initiatives partagées (slugs)", lambda e: e["initiatives"]),
]

FILES = {"elements": ("elements.csv", ELEMENT_COLUMNS, "nodes"),
         "connexions": ("connections.csv", CONNECTION_COLUMNS, "edges")}


def graph_csv(payload: dict, table: str) -> Iterator[str]:
    """One table (`elements` or `connexions`) of a graph payload as CSV text chunks."""
    _, columns, key = FILES[table]
    # The framework joins lists with " | "; mapping tools split on "|" and trim the spaces.
    return write_csv(columns, payload[key])


def graph_zip(payload: dict) -> bytes:
    """Both tables in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, (filename, _, _) in FILES.items():
            archive.writestr(filename, "".join(graph_csv(payload, table)).encode())
    return buffer.getvalue()
