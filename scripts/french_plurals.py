"""Writes catalyse/locale/fr/LC_MESSAGES/django.po: the plural messages of the code, each translated to itself.

French is the source language, so no string needs translating; but a message missing from the catalogue is
pluralised with the English rule ("0 résultats"). This catalogue carries the French rule (0 and 1 are
singular) for every `ngettext` / `{% blocktranslate count %}` message. Run through `make messages`, which
extracts the messages first (`catalyse makemessages`) and compiles the result.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "catalyse" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[str]:
    return [block for block in text.strip().split("\n\n") if block.strip()]


def identity(block: str) -> str:
    """msgstr[0] = msgid, msgstr[1] = msgid_plural (multi-line strings keep their layout)."""
    head, _, _ = block.partition("\nmsgstr[0]")
    singular = re.search(r'^msgid (.*?)(?=^msgid_plural )', head, re.S | re.M).group(1)
    plural = re.search(r'^msgid_plural (.*)', head, re.S | re.M).group(1)
    head = "\n".join(line for line in head.splitlines() if not line.startswith("#, fuzzy"))
    return f"{head}\nmsgstr[0] {singular.rstrip()}\nmsgstr[1] {plural.rstrip()}"


def main() -> int:
    blocks = entries(PO.read_text())
    header = blocks[0].replace("#, fuzzy\n", "")
    header = header.replace("charset=CHARSET", "charset=UTF-8")
    plurals = [identity(b) for b in blocks[1:] if "\nmsgid_plural " in b and not b.startswith("#~")]
    comment = ("# Catalyse is written in French: this catalogue only gives French plural rules to the plural messages\n"
               "# (scripts/french_plurals.py, run by `make messages`; do not edit by hand).\n")
    PO.write_text(comment + header + "\n\n" + "\n\n".join(plurals) + "\n")
    print(f"{len(plurals)} messages au pluriel dans {PO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
