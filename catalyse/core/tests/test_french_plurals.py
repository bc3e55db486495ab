"""scripts/french_plurals.py (run by `make messages`) leaves the catalogue as it found it when run again."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# What `catalyse makemessages` leaves before the script runs: a new catalogue's header, a message msgmerge
# matched approximately (fuzzy, with the previous message), one already done, a singular and an obsolete one.
EXTRACTED = """# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Content-Type: text/plain; charset=CHARSET\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

#, fuzzy, python-format
#| msgid "%(n)s lien"
#| msgid_plural "%(n)s liens"
msgid "%(n)s place libre"
msgid_plural "%(n)s places libres"
msgstr[0] "%(n)s lien"
msgstr[1] "%(n)s liens"

#, python-format
msgid ""
"%(n)s catalyseur sans commune de siège n'est compté dans aucune "
"région."
msgid_plural ""
"%(n)s catalyseurs sans commune de siège ne sont comptés dans aucune "
"région."
msgstr[0] ""
msgstr[1] ""

msgid "Boîte à outils"
msgstr ""

#~ msgid "ancien"
#~ msgid_plural "anciens"
#~ msgstr[0] "ancien"
#~ msgstr[1] "anciens"
"""


def _script():
    spec = importlib.util.spec_from_file_location("french_plurals", ROOT / "scripts" / "french_plurals.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_second_run_changes_nothing_and_the_format_flag_stays(tmp_path, capsys):
    script, po = _script(), tmp_path / "django.po"
    po.write_text(EXTRACTED)
    script.main(po)
    once = po.read_text()
    script.main(po)

    assert po.read_text() == once
    assert once.startswith(script.NOTICE) and once.count(script.NOTICE) == 1
    assert "fuzzy" not in once and "#|" not in once and "charset=UTF-8" in once
    assert '#, python-format\nmsgid "%(n)s place libre"\nmsgid_plural "%(n)s places libres"\n' \
           'msgstr[0] "%(n)s place libre"\nmsgstr[1] "%(n)s places libres"' in once
    assert once.count("#, python-format") == 2
    assert "Boîte à outils" not in once and "ancien" not in once


def test_the_shipped_catalogue_is_what_the_script_writes(tmp_path):
    """The catalogue in the repository went through the script: running it again changes nothing."""
    po = tmp_path / "django.po"
    shipped = (ROOT / "catalyse" / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    po.write_text(shipped)
    _script().main(po)
    assert po.read_text() == shipped
