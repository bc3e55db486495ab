"""How a territory travels in forms, URLs, files, search terms and the API: `level:code`, e.g. `commune:62528`,
`departement:2A`. The one place that writes and reads that form."""

from __future__ import annotations

from .models import Kind, Level, Territory


def territory_key(level: str, code: str) -> str:
    return f"{level}:{code}"


def parse_territory_key(key: str, *, default_level: str = Level.COMMUNE) -> tuple[str, str] | None:
    """(level, code) of `level:code` (level lower-cased, code upper-cased as in the Code officiel
    géographique: 2A, 2B), or of a bare code read at `default_level` ("" to require a level); None when the
    level is unknown or the code missing."""
    level, _sep, code = (key or "").strip().rpartition(":")
    level, code = level.strip().lower() or default_level, code.strip().upper()
    if level not in Level.values or not code:
        return None
    return level, code


def territory_from_key(key: str, *, default_level: str = Level.COMMUNE) -> Territory | None:
    """The current territory a key names, or None (malformed key, or no such territory)."""
    parsed = parse_territory_key(key, default_level=default_level)
    if parsed is None:
        return None
    level, code = parsed
    return Territory.objects.filter(level=level, code=code, kind=Kind.CURRENT).first()
