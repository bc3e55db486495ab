"""Highlighted snippets: escaped HTML in which only <mark> is markup. Same code for both backends.

A word is highlighted when it is one of the corpus words (vocabulary) whose indexed term matched, or when it
starts with a matched prefix; that set becomes one accent- and case-insensitive regular expression, so a page
of hits costs a few regex scans rather than the analysis of every word shown.
"""

from __future__ import annotations

import re
from html import escape  # Django's escape is this one behind a lazy-text wrapper costing more than the escaping

SNIPPET_CHARS = 220
SCAN_CHARS = 1500  # snippets come from the start of long texts


_ACCENTS = {"a": "[aàâä]", "e": "[eéèêë]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]", "y": "[yÿ]"}


def _accent_insensitive(folded: str) -> str:
    """A pattern matching `folded` (an accent-free word) with or without its accents, œ for oe."""
    return "".join(_ACCENTS.get(ch, re.escape(ch)) for ch in folded).replace("[oôö][eéèêë]", "(?:[oôö][eéèêë]|œ)")


class Highlighter:
    def __init__(self, words: set[str], prefixes: set[str]):
        """`words`: accent-free words to mark; `prefixes`: accent-free prefixes."""
        parts = [_accent_insensitive(w) for w in sorted(words, key=len, reverse=True)]
        parts += [_accent_insensitive(p) + r"\w*" for p in sorted(prefixes, key=len, reverse=True)]
        self.pattern = re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE) if parts else None

    def __call__(self, text: str, max_chars: int | None = None) -> str:
        full_length = len(text)
        if max_chars:
            text = text[:SCAN_CHARS]
        spans = [m.span() for m in self.pattern.finditer(text)] if self.pattern else []
        start, end = 0, len(text)
        if max_chars and len(text) > max_chars:
            best, start = -1, 0
            for s, _ in spans or [(0, 0)]:
                lo = max(0, s - 40)
                n = sum(1 for a, _ in spans if lo <= a < lo + max_chars)
                if n > best:
                    best, start = n, lo
            end = min(len(text), start + max_chars)
            while start > 0 and text[start - 1].isalnum():  # whole words only
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
        out, pos = [], start
        for s, e in spans:
            if s < start or e > end:
                continue
            out += [escape(text[pos:s]), "<mark>", escape(text[s:e]), "</mark>"]
            pos = e
        out.append(escape(text[pos:end]))
        return ("… " if start > 0 else "") + "".join(out) + (" …" if end < full_length else "")
