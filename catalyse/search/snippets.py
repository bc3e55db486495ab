"""Highlighted snippets: escaped HTML in which only <mark> is markup. Same code for both backends, using the
same analysis as the query, so what is highlighted is exactly what matched."""

from __future__ import annotations

from django.utils.html import escape

from .analysis import _word_term, fold_word, words

SNIPPET_CHARS = 220
SCAN_CHARS = 1500  # snippets come from the start of long texts: scanning all of a récit costs more than the search


def _matches(word: str, terms: set[str], prefixes: set[str]) -> bool:
    t = _word_term(word)
    if not t:
        return False
    if t in terms:
        return True
    if not prefixes:
        return False
    f = fold_word(word)
    return any(t.startswith(p) or f.startswith(p) for p in prefixes)


def highlight(text: str, terms: set[str], prefixes: set[str], max_chars: int | None = None) -> str:
    """`text` escaped, matched words wrapped in <mark>; cut to the window of `max_chars` with most matches."""
    full_length = len(text)
    if max_chars:
        text = text[:SCAN_CHARS]
    spans = [(s, e) for w, s, e in words(text) if _matches(w, terms, prefixes)]
    start, end = 0, len(text)
    if max_chars and len(text) > max_chars:
        best, start = -1, 0
        for s, _ in spans or [(0, 0)]:
            lo = max(0, s - 40)
            n = sum(1 for a, _ in spans if lo <= a < lo + max_chars)
            if n > best:
                best, start = n, lo
        end = min(len(text), start + max_chars)
        # whole words only
        while start > 0 and text[start - 1].isalnum():
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
    html = "".join(out)
    return ("… " if start > 0 else "") + html + (" …" if end < full_length else "")
