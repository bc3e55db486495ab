"""Text normalisation shared by every lookup that must ignore case, accents and punctuation."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Combining Diacritical Marks, without U+034F (the grapheme joiner: not a combining mark for unicodedata).
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")


def fold(text: str) -> str:
    """Lowercase, strip accents, turn hyphens/apostrophes/punctuation into single spaces.

    "Loos-en-Gohelle" and "loos en gohelle" both become "loos en gohelle"; "Œuvre" becomes "oeuvre".
    """
    if text.isascii():  # most names: nothing to decompose, and this is several times faster
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    # French accents decompose into marks of the U+0300 block, removed in one pass; other scripts' marks
    # (rare) character by character.
    ascii_text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))
    if not ascii_text.isascii():
        ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_text).strip()
