import re

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from catalyse.core.text import fold

from .models import Kind, Level, Territory

LEVEL_RANK = {Level.REGION: 0, Level.DEPARTEMENT: 1, Level.EPCI: 2, Level.COMMUNE: 3}
_DIGITS = re.compile(r"^(?:\d[\dAB]?\d{0,7})$", re.IGNORECASE)


def territory_get(level: str, code: str) -> Territory | None:
    """The territory at this address; a current entry wins over a former commune with the same code."""
    return (
        Territory.objects.select_related("region", "departement", "epci", "parent_commune")
        .filter(level=level, code=code)
        .order_by(Case(When(kind=Kind.CURRENT, then=0), default=1, output_field=IntegerField()))
        .first()
    )


# "St Omer", "Ste-Marie-aux-Mines": the abbreviations people type for the names' first words.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LETTERS = "abcdefghijklmnopqrstuvwxyz "


def _one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from `word` (folded)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS}) - {word}


def territories_search_tolerant(q: str, *, level: str | None = None) -> tuple[QuerySet[Territory], str]:
    """`territories_search`, and when it finds nothing, the territories whose whole name is one typo away
    ("Lile" → Lille). Returns the results and the name they were corrected to ("" when not corrected)."""
    found = territories_search(q, level=level)
    folded = fold(q.strip())
    if len(folded) < 4 or _DIGITS.match(folded.replace(" ", "")) or found.exists():
        return found, ""
    near = territories_search("", level=level).filter(search_name__in=_one_edit_away(folded))
    near = near.annotate(level_rank=Case(*(When(level=lv, then=Value(r)) for lv, r in LEVEL_RANK.items()),
                                         output_field=IntegerField())).order_by("level_rank", "-population", "code")
    first = near.first()
    return (near, first.name) if first else (found, "")


def territories_search(q: str = "", *, level: str | None = None, current_only: bool = True) -> QuerySet[Territory]:
    """Territories matching a name (accent/case/punctuation-insensitive, word prefix), a postal code or an
    INSEE/SIREN code, best matches first: exact name, then name prefix, then larger places."""
    qs = Territory.objects.select_related("departement")
    if current_only:
        qs = qs.filter(kind=Kind.CURRENT)
    if level:
        qs = qs.filter(level=level)
    q = q.strip()
    if not q:
        return qs.order_by("level", "code")
    folded = fold(q)
    if _DIGITS.match(q.replace(" ", "")):
        code = q.replace(" ", "").upper()
        match = Q(code=code) | Q(postal_codes__contains=code) | Q(code__startswith=code)
        if len(code) == 9:
            match |= Q(siren=code)
        # Postal codes first: people know them better than INSEE codes, and the two collide
        # (62750 is Loos-en-Gohelle's postal code and Saint-Hilaire-Cottes' INSEE code).
        exactness = Case(When(postal_codes__contains=code, then=0), When(code=code, then=1), default=2,
                         output_field=IntegerField())
    else:
        folded = " ".join(ABBREVIATIONS.get(word, word) for word in folded.split())
        match = Q(search_name__startswith=folded) | Q(search_name__contains=f" {folded}")
        exactness = Case(When(search_name=folded, then=0), When(search_name__startswith=folded, then=1),
                         default=2, output_field=IntegerField())
    level_rank = Case(*(When(level=lv, then=Value(r)) for lv, r in LEVEL_RANK.items()), output_field=IntegerField())
    return qs.filter(match).annotate(exactness=exactness, level_rank=level_rank).order_by(
        "exactness", "level_rank", "-population", "code"
    )


def territory_children(territory: Territory) -> QuerySet[Territory]:
    """Direct children: région → départements, département → EPCI, EPCI → communes, commune → former parts."""
    base = Territory.objects.all()
    if territory.level == Level.REGION:
        return base.filter(level=Level.DEPARTEMENT, region=territory).order_by("code")
    if territory.level == Level.DEPARTEMENT:
        return base.filter(level=Level.EPCI, departement=territory).order_by("name")
    if territory.level == Level.EPCI:
        return base.filter(level=Level.COMMUNE, kind=Kind.CURRENT, epci=territory).order_by("-population", "name")
    return base.filter(parent_commune=territory).order_by("code")


def territory_totals(territory: Territory) -> dict:
    """Counts and population of the current communes below a territory."""
    if territory.level == Level.COMMUNE:
        return {}
    communes = Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT).filter(territory.descendants_q())
    totals = communes.aggregate(communes=Count("id"), population=Sum("population"))
    if territory.level == Level.DEPARTEMENT:
        # Communes of this département that belong to no EPCI (islands, Paris before 2016…)
        totals["communes_without_epci"] = communes.filter(epci__isnull=True).count()
    return totals


def epci_departements(epci: Territory) -> QuerySet[Territory]:
    """The départements an EPCI spans (most span one)."""
    codes = (
        Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT, epci=epci)
        .values("departement_id").distinct()
    )
    return Territory.objects.filter(id__in=codes).order_by("code")
