"""Writes catalyse/locale/fr/LC_MESSAGES/django.po: the plural messages of the code, each translated to itself.

French is the source language, so no string needs translating; but a message missing from the catalogue is
pluralised with the English rule ("0 résultats"). This catalogue carries the French rule (0 and 1 are
singular) for every `ngettext` / `{% blocktranslate count %}` message. Run through `make messages`, which
extracts the messages first (`catalyse makemessages`) and compiles the result.

Running it again on its own output changes nothing: the notice is written once, `fuzzy` marks and the
previous-message lines msgmerge adds (`#| msgid …`) are dropped, and the other flags (`python-format`) stay.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "catalyse" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
NOTICE = ("# Catalyse is written in French: this catalogue only gives French plural rules to the plural messages\n"
          "# (scripts/french_plurals.py, run by `make messages`; do not edit by hand).\n")


def entries(text: str) -> list[str]:
    return [block for block in text.strip().split("\n\n") if block.strip()]


def without_fuzzy(line: str) -> str:
    """A comment line without the `fuzzy` flag (a message translated to itself is never approximate) nor
    msgmerge's previous message (`#| …`); a flags line keeps its other flags. "" when nothing is left."""
    if line.startswith("#|"):
        return ""
    if not line.startswith("#,"):
        return line
    flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() and flag.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else ""


def _clean(lines: list[str]) -> str:
    return "\n".join(kept for line in lines if (kept := without_fuzzy(line)))


def identity(block: str) -> str:
    """msgstr[0] = msgid, msgstr[1] = msgid_plural (multi-line strings keep their layout)."""
    head, _, _ = block.partition("\nmsgstr[0]")
    singular = re.search(r'^msgid (.*?)(?=^msgid_plural )', head, re.S | re.M).group(1)
    plural = re.search(r'^msgid_plural (.*)', head, re.S | re.M).group(1)
    return f"{_clean(head.splitlines())}\nmsgstr[0] {singular.rstrip()}\nmsgstr[1] {plural.rstrip()}"


def header(block: str) -> str:
    """The catalogue's header after the notice (written once, however many times this runs)."""
    notice = set(NOTICE.splitlines())
    lines = block.replace("charset=CHARSET", "charset=UTF-8").splitlines()
    while lines and lines[0] in notice:
        lines.pop(0)
    return NOTICE + _clean(lines)


def main(po: Path = PO) -> int:
    blocks = entries(po.read_text())
    plurals = [identity(b) for b in blocks[1:] if "\nmsgid_plural " in b and not b.startswith("#~")]
    po.write_text(header(blocks[0]) + "\n\n" + "\n\n".join(plurals) + "\n")
    print(f"{len(plurals)} messages au pluriel dans {po}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else PO))
