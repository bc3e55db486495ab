"""From what a person types to analysed clauses.

Syntax: words (all required), "quoted phrases", -exclusion, prefix* (and the last word while typing, for
autocomplete). Every word goes through the same analysis as the indexed text (see analysis.py), then:
- an accent-free word also matches the term of its accented spelling found in the vocabulary;
- a long term (8+ letters) also matches, with a lower weight, terms sharing all but its last two letters
  ("territoire" → "territoir" also finds "territorial"), since Snowball leaves derived forms apart;
- an unknown word of 5+ letters is corrected to the closest words of the vocabulary ("cooperaton" →
  "coopération"), which also yields the "did you mean" suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import fold_word, is_stop_word, term_of, words
from .backends.base import Alt, Clause
from .vocabulary import ReaderVocabulary, Vocabulary

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
DERIVED_MIN = 8
DERIVED_BOOST = 0.3
CORRECTION_BOOST = 0.8


@dataclass
class Parsed:
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    suggestion: str | None = None
    highlight_terms: set[str] = field(default_factory=set)
    highlight_prefixes: set[str] = field(default_factory=set)
    highlight_words: set[str] = field(default_factory=set)


def _content_words(text: str) -> list[str]:
    return [w for w, _, _ in words(text) if not is_stop_word(w)]


def highlight_words(parsed: Parsed, vocab: Vocabulary | ReaderVocabulary) -> set[str]:
    """Accent-free words to highlight: the corpus words whose term matched, plus the words typed."""
    return {w for t in parsed.highlight_terms for w in vocab.words_of(t)} | parsed.highlight_words


def parse(q: str, vocab: Vocabulary | ReaderVocabulary, autocomplete: bool = False) -> Parsed:
    out = Parsed()
    corrected_q = q
    tokens = list(_TOKEN.finditer(q))
    for n, m in enumerate(tokens):
        is_last = n == len(tokens) - 1
        if m.group(2) is not None:  # quoted phrase
            ws = _content_words(m.group(2))
            if not m.group(1):
                out.highlight_words.update(fold_word(w) for w in ws)
            if m.group(1):
                out.excluded += [term_of(w) for w in ws]
            elif len(ws) == 1:
                out.clauses.append(_word_clause(ws[0], vocab, out))
            elif ws:
                out.clauses.append(Clause(phrase=[_alternative_terms(w, vocab) for w in ws]))
                out.highlight_terms.update(t for w in ws for t in _alternative_terms(w, vocab))
            continue
        raw = m.group(3)
        negated = raw.startswith("-") and len(raw) > 1
        prefix = raw.endswith("*") or (autocomplete and is_last and not q.endswith(" "))
        body = raw.lstrip("-").rstrip("*")
        ws = _content_words(body)
        if not negated:
            out.highlight_words.update(fold_word(w) for w in ws)
        if negated:
            out.excluded += [t for w in ws for t in _alternative_terms(w, vocab)]
        elif prefix and len(ws) == 1:
            out.clauses.append(_prefix_clause(ws[0], vocab, out))
        elif len(ws) > 1:  # "Loos-en-Gohelle", "l'économie sociale": a phrase
            out.clauses.append(Clause(phrase=[_alternative_terms(w, vocab) for w in ws]))
            out.highlight_terms.update(t for w in ws for t in _alternative_terms(w, vocab))
        elif ws:
            clause = _word_clause(ws[0], vocab, out)
            out.clauses.append(clause)
            fixed = getattr(clause, "corrected_to", None)
            if fixed:
                corrected_q = re.sub(rf"(?<!\w){re.escape(body)}(?!\w)", fixed, corrected_q, count=1)
    if corrected_q != q:
        out.suggestion = corrected_q
    return out


def _alternative_terms(word: str, vocab: Vocabulary | ReaderVocabulary) -> list[str]:
    terms = [term_of(word)]
    folded = fold_word(word)
    entry = vocab.entries.get(folded)
    if folded == word and entry and entry.term not in terms:
        terms.append(entry.term)
    return terms


def _word_clause(word: str, vocab: Vocabulary | ReaderVocabulary, out: Parsed) -> Clause:
    alts = [Alt(t) for t in _alternative_terms(word, vocab)]
    main = alts[0].term
    if len(main) >= DERIVED_MIN:
        alts.append(Alt(main[:-2], DERIVED_BOOST, prefix=True))
        out.highlight_prefixes.add(main[:-2])
    clause = Clause(alts=alts)
    folded = fold_word(word)
    if len(folded) >= 5 and not vocab.knows(folded) and vocab.entries:
        fixes = vocab.corrections(folded)
        for e in fixes:
            if e.term not in {a.term for a in clause.alts}:
                clause.alts.append(Alt(e.term, CORRECTION_BOOST))
        if fixes:
            clause.corrected_to = fixes[0].display  # type: ignore[attr-defined]
    out.highlight_terms.update(a.term for a in clause.alts if not a.prefix)
    return clause


def _prefix_clause(word: str, vocab: Vocabulary | ReaderVocabulary, out: Parsed) -> Clause:
    folded = fold_word(word)
    stem = term_of(word)
    alts = [Alt(folded, prefix=True)] + ([Alt(stem, prefix=True)] if not folded.startswith(stem) else [])
    # The stem may be shorter than the typed prefix ("coopérat" → "cooper"): match it as a prefix too.
    if folded.startswith(stem) and stem != folded:
        alts = [Alt(stem, prefix=True)]
    out.highlight_prefixes.update(a.term for a in alts)
    return Clause(alts=alts)
