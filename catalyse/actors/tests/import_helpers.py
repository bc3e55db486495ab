"""Small real-format files for the import tests."""

from pathlib import Path

from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun

RNA_HEADER = (
    "id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;groupement;titre;titre_court;"
    "objet;objet_social1;objet_social2;adrs_complement;adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;"
    "adrs_distrib;adrs_codeinsee;adrs_codepostal;adrs_libcommune;adrg_declarant;adrg_complemid;adrg_complemgeo;"
    "adrg_libvoie;adrg_distrib;adrg_codepostal;adrg_achemine;adrg_pays;dir_civilite;siteweb;publiweb;observation;"
    "position;maj_time"
)

SIRENE_HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,"
    "libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,"
    "codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,"
    "libellePaysEtrangerEtablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,"
    "enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,"
    "activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement"
)


def luhn_complete(prefix: str) -> str:
    """`prefix` followed by the check digit that makes it Luhn-valid."""
    for d in "0123456789":
        candidate = prefix + d
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise AssertionError


def siret(n: int) -> str:
    """A valid SIRET whose SIREN is valid too."""
    siren = luhn_complete(f"{n:08d}")
    return luhn_complete(f"{siren}0001")


def rna_line(rna: str, titre: str, *, insee: str = "62528", postal: str = "62750", siret_value: str = "",
             position: str = "A", date_disso: str = "0001-01-01", siteweb: str = "", objet: str = "objet") -> str:
    return (
        f"{rna};;{siret_value};;621P;2015-12-29;2015-12-29;2016-01-09;{date_disso};D;S;{titre};;{objet};"
        f"024026;000000;;12;;RUE;de la Gare;_;{insee};{postal};Commune;;;;;;{postal};COMMUNE;FRANCE;PM;{siteweb};0;;"
        f"{position};2016-01-09 12:46:10"
    )


def sirene_line(siret_value: str, name: str, *, insee: str = "62528", naf: str = "88.99B", etat: str = "A",
                diffusion: str = "O", date_debut: str = "2020-01-01", enseigne: str = "") -> str:
    siren, nic = siret_value[:9], siret_value[9:]
    return (
        f"{siren},{nic},{siret_value},{diffusion},2010-03-01,NN,,,2024-01-01T00:00:00,true,2,,3,,RUE,DES ECOLES,"
        f"62750,LOOS-EN-GOHELLE,,,{insee},,,,,{date_debut},{etat},{enseigne},,,{name},{naf},NAFRev2,N"
    )


def write_file(tmp_path: Path, name: str, lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> Path:
    path = tmp_path / name
    data = "\r\n".join(lines).encode(encoding) + b"\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def run_import(path: Path, fmt: str, *, dry_run: bool = False, created_by=None, **options) -> ImportRun:
    run = ImportRun.objects.create(kind="organisations", format=fmt, file_name=path.name, dry_run=dry_run,
                                   options=options, created_by=created_by)
    return import_run(run, path)
