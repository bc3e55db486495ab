"""Write the import-linter contracts of pyproject.toml from the apps on disk: `python scripts/import_contracts.py`.

The rules (docs/architecture.md): core and territories import no domain app; search imports no domain app (apps
plug into it through registries); no app imports the views of another app. Each app's contracts name every
other app and its views modules, so a new app or views module is covered once this script has run, and
`--check` (run by the test suite) fails while the section is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "catalyse"
PYPROJECT = ROOT / "pyproject.toml"
BEGIN = "# BEGIN import contracts: written by scripts/import_contracts.py, do not edit by hand\n"
END = "# END import contracts\n"
FOUNDATIONS = ("core", "territories")  # imported by every app, importing none


def apps() -> list[str]:
    return sorted(p.parent.name for p in PACKAGE.glob("*/apps.py"))


def views_modules(app: str) -> list[str]:
    return sorted(f"catalyse.{app}.{p.stem}" for p in (PACKAGE / app).glob("views*.py"))


def _list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _contract(name: str, sources: list[str], forbidden: list[str]) -> str:
    ignores = [f"{source}.tests.** -> catalyse.**" for source in sources]
    return (f'[[tool.importlinter.contracts]]\nname = "{name}"\ntype = "forbidden"\n'
            f"source_modules = {_list(sources)}\nforbidden_modules = {_list(forbidden)}\n"
            f"ignore_imports = {_list(ignores)}\n")


def section() -> str:
    domain = [app for app in apps() if app not in FOUNDATIONS]
    contracts = [
        _contract("core and territories import no domain app", [f"catalyse.{app}" for app in FOUNDATIONS],
                  [f"catalyse.{app}" for app in domain]),
        _contract("search imports no domain app", ["catalyse.search"],
                  [f"catalyse.{app}" for app in domain if app != "search"]),
    ]
    for app in domain:
        others = [module for other in domain if other != app for module in views_modules(other)]
        contracts.append(_contract(f"{app} does not import the views of another app", [f"catalyse.{app}"], others))
    return BEGIN + "\n".join(contracts) + END


def current() -> tuple[str, str, str]:
    text = PYPROJECT.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head, BEGIN + rest[: len(rest) - len(tail)], tail


def main(argv: list[str]) -> int:
    head, present, tail = current()
    wanted = section()
    if "--check" in argv:
        if present != wanted:
            print("The import contracts of pyproject.toml are out of date: run python scripts/import_contracts.py")
            return 1
        return 0
    PYPROJECT.write_text(head + wanted + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
