import io
import os
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.client import Client

from catalyse.territories.loader import territories_load
from catalyse.territories.models import Territory

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CATALYSE_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    # Transactional tests (browser tests need committed data for the live server) end with a flush that
    # empties the rows data migrations wrote: run them last, together, so the others keep the session's copy.
    def flushes(item) -> bool:
        db = item.get_closest_marker("django_db")
        return item.get_closest_marker("browser") is not None or bool(db and db.kwargs.get("transaction"))

    items.sort(key=flushes)
    for item in items:
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="PostgreSQL-only behaviour; runs in the PostgreSQL pass"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The whole territory referential, loaded once per session; tests roll back around it."""
    with django_db_blocker.unblock():
        territories_load()


@pytest.fixture(scope="session", autouse=True)
def flush_keeps_the_referential():
    """Transactional tests end with a flush of every table. The territory referential is read-only reference
    data that no such test writes, and reloading its 39,000 rows costs ~15-25 s: the flush leaves it in place."""
    from django.core.management.commands import flush

    kept = {Territory._meta.db_table}

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False)
                  if t not in kept]
        return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        yield


@pytest.fixture
def territories(django_db_blocker):
    """For transactional tests (live server): the referential, loaded if this session has not loaded it yet."""
    with django_db_blocker.unblock():
        if not Territory.objects.exists():
            territories_load()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"chromium is required in CI but was not found at {CHROMIUM}")
        pytest.skip(f"chromium not found at {CHROMIUM}; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, territories):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


AXE_SOURCE = Path(__file__).parent / "tests_support" / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1]}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """`axe(page)` runs axe-core (WCAG 2.1 A and AA rules) on the page as it is and fails the test on any
    violation, naming the rule, its impact and the elements. `context` narrows the check to a selector.

    The source is evaluated through the browser's debugging protocol, which the site's CSP does not govern:
    the page keeps its real policy, and the script is never served by the site."""
    source = AXE_SOURCE.read_text()

    def run(page, context: str | None) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        return page.evaluate(
            """async ([context, tags]) => {
                const result = await axe.run(context || document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));
            }""",
            [context, AXE_TAGS],
        )

    def check(page, context: str | None = None) -> None:
        from playwright.sync_api import Error as PlaywrightError

        page.wait_for_load_state()
        try:
            violations = run(page, context)
        except PlaywrightError:
            # A link clicked just before was still replacing the document: axe ran in the one going away. Check
            # the page it led to once loaded.
            page.wait_for_load_state()
            violations = run(page, context)
        if violations:
            pytest.fail(f"axe-core on {page.url}:\n{axe_report(violations)}", pytrace=False)

    return check


# The people every view is tested with: an organisation's editor (owner), a plain member of the network
# who belongs to that organisation, an outsider with an account, and an animator of the network.
@pytest.fixture
def org(db):
    from catalyse.actors.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Alliance d'essai")


@pytest.fixture
def owner(org):
    from catalyse.actors.models import MembershipRole
    from catalyse.actors.tests.factories import MembershipFactory

    return MembershipFactory(organisation=org, role=MembershipRole.EDITOR).user


@pytest.fixture
def member(org):
    from catalyse.actors.tests.factories import MembershipFactory

    return MembershipFactory(organisation=org).user


@pytest.fixture
def outsider(db):
    from catalyse.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def animator(db):
    from catalyse.accounts.models import Role
    from catalyse.accounts.tests.factories import UserFactory

    return UserFactory(role=Role.ANIMATOR)


@pytest.fixture(autouse=True)
def sql_path_by_default(settings):
    """Listing pages (directory, map, initiatives) read SQL unless a test asks for both paths (`browse_path`)."""
    settings.CATALYSE_BROWSE_FROM_INDEX = False


@pytest.fixture(params=["sql", "index"])
def browse_path(request, settings, tmp_path, monkeypatch):
    """Runs a listing test on both read paths. On the index path every request first applies
    the outbox, as the worker does within two seconds of a change in production."""
    if request.param == "index":
        from catalyse.search.backends.tantivy_backend import _indexes
        from catalyse.search.outbox import outbox_process

        settings.CATALYSE_BROWSE_FROM_INDEX = True
        settings.CATALYSE_SEARCH_BACKEND = "tantivy"
        settings.CATALYSE_SEARCH_INDEX_DIR = tmp_path / "index"
        _indexes.clear()
        send = Client.request

        def request_after_outbox(self, **kwargs):
            outbox_process()
            return send(self, **kwargs)

        monkeypatch.setattr(Client, "request", request_after_outbox)
        yield request.param
        _indexes.clear()
    else:
        yield request.param


def _pdf_text(pdf: bytes) -> str:
    """The text a reader extracts from `pdf`, pages joined; fails the test if `pdf` is not a readable PDF."""
    from pypdf import PdfReader

    assert pdf.startswith(b"%PDF-"), pdf[:40]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def pdf_text():
    """`pdf_text(pdf_bytes)`: the PDF's text as pypdf extracts it (reports from core/pdf.py)."""
    return _pdf_text
