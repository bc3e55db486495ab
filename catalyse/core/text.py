"""Text normalisation shared by every lookup that must ignore case, accents and punctuation."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, strip accents, turn hyphens/apostrophes/punctuation into single spaces.

    "Loos-en-Gohelle" and "loos en gohelle" both become "loos en gohelle"; "Œuvre" becomes "oeuvre".
    """
    if text.isascii():  # most names: nothing to decompose, and this is several times faster
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_text).strip()
