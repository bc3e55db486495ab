"""French text analysis shared by indexing and querying, and by both backends.

Order: lowercase → French stop words → French Snowball stemmer → accent folding. Folding comes LAST on
purpose: the Snowball French stemmer reads accents ("rénovées" → "rénov", but "renovees" → "renove"), so
folding first — as the widely copied PostgreSQL `french_unaccent` configuration does — makes "rénovées" and
"rénover" stop matching and lets "à"/"été" slip past the stop list.

The analysis runs in Python (PyStemmer, the C Snowball library) for both backends rather than in Tantivy's
own analyzer chain: Tantivy's French stop list lacks "été" and PostgreSQL's `french` configuration offers no
hook after stemming, so one Python function is the only way to guarantee identical terms in both engines.
The engines index the analysed terms with a plain whitespace tokenizer ("simple" tsvector in PostgreSQL).

Accent-free queries ("mobilite") stem differently from the accented text ("mobilité" → "mobil" but
"mobilite" → "mobilit"); queries therefore look the folded word up in the vocabulary of the index
(`SearchWord`), which maps every folded surface word of the corpus to its indexed term.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# The Snowball project's French stop list, plus the lone "a" (avoir) that it leaves out.
STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi
    mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
    vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes sont serai
    seras sera serons serez seront serais serait serions seriez seraient étais était étions étiez étaient fus
    fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante
    ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait
    aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez
    aient eusse eusses eût eussions eussiez eussent a""".split()  # noqa: SIM905  (readable as the published list)
)

_WORD = re.compile(r"[^\W_]+")
_stemmer = Stemmer.Stemmer("french")


def strip_accents(word: str) -> str:
    word = word.replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_FOLDED_STOP_WORDS = frozenset(strip_accents(w) for w in STOP_WORDS)


def is_stop_word(word: str) -> bool:
    """`word` is lowercase; an accent-free "ete" is the stop word "été" too."""
    return word in STOP_WORDS or strip_accents(word) in _FOLDED_STOP_WORDS


# Words ending in -s that are not plurals and whose singular-looking form means something else ("plus" / PLU).
_NOT_PLURALS = frozenset({"plus", "sous", "dessus", "tous", "alors", "moins", "mais", "jamais", "depuis"})


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str:
    """The indexed term of one lowercase, non-stop word: stem, then fold accents. Snowball leaves the plural
    of short words whole ("élus", "lieux", "enjeux"): when it changed nothing, the singular's stem is used,
    so "élu" finds "élus" and "tiers-lieux" finds "Tiers-lieu"."""
    stem = _stemmer.stemWord(word)
    if stem == word and len(word) > 3 and word[-1] in "sx" and word[-2] in "ue" and word not in _NOT_PLURALS:
        stem = _stemmer.stemWord(word[:-1])
    return strip_accents(stem)


def words(text: str) -> list[tuple[str, int, int]]:
    """(lowercase word, start, end) for every word of `text`; apostrophes and hyphens separate words."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


class _WordTerms(dict):
    """word → its term ("" for a stop word), filled on first sight: the vocabulary is small next to the
    number of words indexed, so a rebuild stems each distinct word once, and the lookups of `analyse` stay
    in C (`map` over `__getitem__`) rather than one Python call per word."""

    def __missing__(self, word: str) -> str:
        term = "" if is_stop_word(word) else term_of(word)
        if len(self) < 1_000_000:
            self[word] = term
        return term


_word_terms = _WordTerms()


def analyse(text: str) -> list[str]:
    """The terms of `text`, in order (stop words dropped)."""
    return list(filter(None, map(_word_terms.__getitem__, _WORD.findall(text.lower()))))


def analysed_text(text: str, words_seen: list[str] | None = None) -> str:
    """Terms joined by spaces: what the engines index with their whitespace tokenizer. `words_seen`, when
    given, receives the surface words that `vocabulary.count_words` would count, from the same split (a
    rebuild reads each text once, and counts a whole part's words in one call)."""
    surface = _WORD.findall(text.lower())
    if words_seen is not None:
        words_seen.extend(surface)
    return " ".join(filter(None, map(_word_terms.__getitem__, surface)))


def fold_word(word: str) -> str:
    """Lowercase accent-free surface form, the vocabulary key."""
    return strip_accents(word.lower())
