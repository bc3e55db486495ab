"""The permission matrix: every role × object visibility × channel × action, from one table.

Each channel that shows or changes objects adds a row to CHANNELS (pages, API, exports, feeds, search,
widgets); each kind of object lists its variants in VARIANTS with who may see and edit it. The test then
checks that every channel agrees with the table:

- detail: visible → 200; invisible → 404 (never 403: a private object's existence is not revealed)
- listing: the object's marker appears in the body iff it is visible (aggregates every visitor shares —
  network statistics — count only what visitors may see, whoever asks: `public_only`)
- edit: editable → 200; visible but not editable → 401/403 or a redirect to sign in; invisible → 404
- and contact emails never appear on read channels for visitors and outsiders.

Channels reach objects through what belongs to them too: practice sheets, resources and their files, an
initiative's partner list (an unpublished organisation is named to no one who may not see it), logos and
covers, the previews of forms, autocompletes, the choropleth.

Adding a channel: append `Channel(...)`; adding a kind of object: a `Variant` factory and its expected roles.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from catalyse.accounts import services
from catalyse.actors.models import PublicationStatus

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "owner", "animator"]
MARKER = "Zorglubmatrice"  # unique word in object names, searched for in listings
SECRET_EMAIL = "contact-confidentiel@exemple.fr"


@dataclass(frozen=True)
class Variant:
    family: str
    name: str
    make: Callable  # (org) -> object; `org` has `owner` as editor and `member` as member
    viewers: frozenset[str]
    editors: frozenset[str]


@dataclass(frozen=True)
class Channel:
    name: str
    family: str
    kind: str  # "detail" | "list" | "edit"
    url: Callable  # (obj) -> str
    auth: str = "session"  # "session" or "token" (API clients)
    method: str = "get"
    body: Callable | None = None  # (obj) -> JSON body, for writes
    marker: Callable = lambda obj: MARKER  # (obj) -> text that shows the object in a listing
    prepare: Callable | None = None  # (settings, tmp_path, obj) -> None, run after the object is made (e.g. index it)
    public_only: bool = False  # an aggregate shared by everyone: shows the object iff visitors may see it
    signed_in: bool = False  # a listing behind sign-in (a form's preview): visitors are sent to sign in


ALL = frozenset(ROLES)
INSIDERS = frozenset({"member", "owner", "animator"})
EDITORS = frozenset({"owner", "animator"})


def _organisation(status: str):
    def make(org):
        org.name, org.email, org.status = f"{MARKER} organisation", SECRET_EMAIL, status
        org.save()
        return org

    return make


def _initiative(publication: str, visibility: str):
    def make(org):
        from catalyse.initiatives.models import Role
        from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

        initiative = InitiativeFactory(title=f"{MARKER} initiative", publication=publication, visibility=visibility)
        PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
        return initiative

    return make


def _indicator(visibility: str, is_public: bool):
    """An indicator of an initiative `org` carries: its people (owner and member) are partners, who see and edit
    all of its evaluation; others see only what is published, of an initiative they may see."""

    def make(org):
        from catalyse.evaluation.services import indicator_create

        initiative = _initiative(PublicationStatus.PUBLISHED, visibility)(org)
        return indicator_create(initiative=initiative, name=f"{MARKER} indicateur", definition="Repas servis.",
                                computation="Somme des tickets.", targets=[{"date": "2025-12-31", "value": 10}],
                                is_public=is_public)

    return make


def _co_validated(kind: str, published: bool):
    """A part-2 evaluation item about `org` (a partner of a public initiative): a mobilisation event or a maturity
    wave it answered. Published means requested and approved by `org`'s people; else private to the partners."""

    def make(org):
        from catalyse.accounts.tests.factories import UserFactory
        from catalyse.actors.tests.factories import MembershipFactory
        from catalyse.evaluation import publication, services_partnership

        initiative = _initiative(PublicationStatus.PUBLISHED, "public")(org)
        if kind == "event":
            item = services_partnership.mobilisation_event_create(
                initiative=initiative, organisation=org, kind="left", happened_on="2024-06-30",
                reason=f"{MARKER} motif")
        else:
            item = services_partnership.maturity_wave_open(initiative=initiative, title=f"{MARKER} vague",
                                                           held_on="2024-03-01")
            services_partnership.maturity_response_add(wave=item, organisation=org, answers={
                axis["code"]: 2 for axis in item.axes})
        if published:
            publication.publication_request(MembershipFactory(organisation=org, user=UserFactory()).user, item)
        return item

    return make


def _evidence(visibility: str, is_public: bool):
    """An item of the evidence library of an initiative `org` carries: seen like an indicator."""

    def make(org):
        from catalyse.evaluation.services import evidence_create

        initiative = _initiative(PublicationStatus.PUBLISHED, visibility)(org)
        return evidence_create(initiative=initiative, kind="figure", title=f"{MARKER} preuve", text="12 repas.",
                               is_public=is_public)

    return make


def _change_path(visibility: str, is_public: bool):
    """A change path of an initiative `org` carries (evaluation part 2), published or private to the partners."""

    def make(org):
        from catalyse.evaluation.models import ChangePath
        from catalyse.evaluation.services_change import change_path_create, journal_entry_create

        initiative = _initiative(PublicationStatus.PUBLISHED, visibility)(org)
        path = change_path_create(initiative=initiative, actor_name=f"{MARKER} acteur", outcome_challenge="Changer.",
                                  markers=[("expect", "Un premier pas")])
        journal_entry_create(path=path, marker=path.markers.get(), observed_on=datetime.date(2024, 5, 1),
                             status="partly", observed_change=f"{MARKER} changement")
        ChangePath.objects.filter(pk=path.pk).update(is_public=is_public)
        path.journal.update(is_public=is_public)
        return path

    return make


def _with_evidence_file(settings, tmp_path, evidence) -> None:
    from django.core.files.base import ContentFile

    _media(settings, tmp_path)
    evidence.file.save("releve.pdf", ContentFile(b"%PDF-1.4 matrice"))


def _sroi_estimate(is_public: bool):
    def make(org):
        from catalyse.evaluation.models import SroiEstimate
        from catalyse.evaluation.services_change import sroi_estimate_create

        initiative = _initiative(PublicationStatus.PUBLISHED, "public")(org)
        estimate = sroi_estimate_create(initiative=initiative, title=f"{MARKER} estimation", investment=1000,
                                        discount_rate="0.035", outcomes=[{"name": "Effet", "quantity": 1,
                                                                          "proxy": 100, "proxy_source": "Étude"}])
        SroiEstimate.objects.filter(pk=estimate.pk).update(is_public=is_public)
        return estimate

    return make


def _synthesis(published: bool):
    """A synthesis of a board the organisation's editor (`owner`) facilitates, at a public event."""
    def make(org):
        from catalyse.workshops.tests.synthesis_helpers import make_board, make_event, publish

        owner = org.memberships.get(role="editor").user
        board = make_board(make_event(slug="rencontre-matrice"), f"Groupe {MARKER}", owner)
        return publish(board, [f"{MARKER} proposition"], owner, publish=published)

    return make


def _search_index(settings, tmp_path, obj=None) -> None:
    from catalyse.search.backends import get_backend
    from catalyse.search.backends.tantivy_backend import _indexes
    from catalyse.search.outbox import index_rebuild

    settings.CATALYSE_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.CATALYSE_SEARCH_BACKEND = "tantivy"
    _indexes.clear()
    index_rebuild(get_backend("tantivy"))


def _from_index(settings, tmp_path, obj=None) -> None:
    """The directory and the map read the search index (the default with Tantivy), freshly rebuilt."""
    settings.CATALYSE_BROWSE_FROM_INDEX = True
    _search_index(settings, tmp_path)


def _from_sql(settings, tmp_path, obj=None) -> None:
    """The directory and the map read the database (deployments on the PostgreSQL search backend)."""
    settings.CATALYSE_BROWSE_FROM_INDEX = False


def _search_rows(family: str, page_marker: Callable | None = None, kind: str = "") -> list[Channel]:
    """`kind`: the object's search kind, for objects whose hits carry their initiative's words too (the
    initiative is then a hit of its own, with the marker in its title)."""
    query = f"?q={MARKER.lower()}"
    api_marker = (lambda o: f'"id": "{kind}:{o.pk}"') if kind else (lambda o: MARKER)
    return [
        Channel("search-api", family, "list", lambda o: "/api/v1/search" + query, auth="token", prepare=_search_index,
                marker=api_marker),
        Channel("search-autocomplete", family, "list",
                lambda o: f"/api/v1/search?q={MARKER.lower()[:6]}&autocomplete=true", auth="token",
                prepare=_search_index, marker=api_marker),
        Channel("search-page", family, "list", lambda o: reverse("search:results") + query,
                marker=page_marker or (lambda o: o.get_absolute_url()), prepare=_search_index),
    ]


def _suggest_url(obj) -> str:
    """The page where a visitor proposes a change to (or reports an error on) an object they can see."""
    from django.contrib.contenttypes.models import ContentType

    return reverse("accounts:suggest", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def _with_logo(settings, tmp_path, org) -> None:
    from django.core.files.base import ContentFile

    _media(settings, tmp_path)
    org.logo.save("logo.png", ContentFile(_png()))


def _as_partner(settings, tmp_path, org) -> None:
    """The organisation is a partner of a public initiative: the initiative's channels name it or not."""
    from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

    PartnershipFactory(initiative=InitiativeFactory(title="Initiative publique", slug="initiative-publique"),
                       organisation=org)


def _with_parts(settings, tmp_path, initiative) -> None:
    """A practice sheet, a resource with its file and a cover: they follow their initiative."""
    from django.core.files.base import ContentFile

    from catalyse.initiatives.models import PracticeSheet
    from catalyse.resources.models import Resource

    _media(settings, tmp_path)
    PracticeSheet.objects.create(initiative=initiative, title=f"{MARKER} fiche", objective="Évaluer.")
    resource = Resource(owner_initiative=initiative, title=f"{MARKER} ressource")
    resource.file.save("compte-rendu.pdf", ContentFile(b"%PDF-1.4 matrice"))
    initiative.cover.save("couverture.png", ContentFile(_png()))


def _sheet_url(initiative, name: str = "sheet") -> str:
    return reverse(f"initiatives:{name}", args=[initiative.slug, initiative.sheets.get().pk])


def _edit_preview(initiative) -> dict:
    return {"title": initiative.title, "summary": initiative.summary, "recit": "Aperçu.", "stage": initiative.stage,
            "status": initiative.status, "visibility": initiative.visibility, "version": initiative.version,
            "preview": "1"}


def _event(status: str):
    """An event `org` organises (its editor, `owner`, is an organiser), with a participant who shows their name:
    their address is for the organisers only."""

    def make(org):
        from catalyse.events.tests.factories import EventFactory, RegistrationFactory

        event = EventFactory(title=f"{MARKER} événement", organiser=org, status=status)
        RegistrationFactory(event=event, email=SECRET_EMAIL, public_name=True)
        return event

    return make


def _event_resource(event_status: str, visibility: str):
    """A resource owned by an event `org` organises (its editor, `owner`, is an organiser; its plain `member`
    is not). The event's own title carries no marker: the resource's must show or not on its own."""

    def make(org):
        from catalyse.events.tests.factories import EventFactory
        from catalyse.resources.tests.factories import ResourceFactory

        event = EventFactory(title="Rencontre de la matrice", organiser=org, status=event_status)
        return ResourceFactory(title=f"{MARKER} ressource", owner_event=event, visibility=visibility)

    return make


VARIANTS = [
    Variant("organisation", "published", _organisation(PublicationStatus.PUBLISHED), ALL, EDITORS),
    Variant("organisation", "pending", _organisation(PublicationStatus.PENDING), INSIDERS, EDITORS),
    Variant("organisation", "rejected", _organisation(PublicationStatus.REJECTED), INSIDERS, EDITORS),
    Variant("initiative", "public", _initiative(PublicationStatus.PUBLISHED, "public"), ALL, EDITORS),
    Variant("initiative", "members", _initiative(PublicationStatus.PUBLISHED, "members"),
            frozenset({"outsider", "member", "owner", "animator"}), EDITORS),
    Variant("initiative", "partners", _initiative(PublicationStatus.PUBLISHED, "partners"), INSIDERS, EDITORS),
    Variant("initiative", "pending", _initiative(PublicationStatus.PENDING, "public"), INSIDERS, EDITORS),
    Variant("indicator", "published", _indicator("public", True), ALL, INSIDERS),
    Variant("indicator", "internal", _indicator("public", False), INSIDERS, INSIDERS),
    Variant("indicator", "published-of-partners-initiative", _indicator("partners", True), INSIDERS, INSIDERS),
    Variant("mobilisation", "co-validated", _co_validated("event", True), ALL, INSIDERS),
    Variant("mobilisation", "private", _co_validated("event", False), INSIDERS, INSIDERS),
    Variant("maturity", "co-validated", _co_validated("wave", True), ALL, INSIDERS),
    Variant("maturity", "private", _co_validated("wave", False), INSIDERS, INSIDERS),
    Variant("evidence", "published", _evidence("public", True), ALL, INSIDERS),
    Variant("evidence", "internal", _evidence("public", False), INSIDERS, INSIDERS),
    Variant("evidence", "published-of-partners-initiative", _evidence("partners", True), INSIDERS, INSIDERS),
    Variant("change-path", "published", _change_path("public", True), ALL, INSIDERS),
    Variant("change-path", "internal", _change_path("public", False), INSIDERS, INSIDERS),
    Variant("change-path", "published-of-partners-initiative", _change_path("partners", True), INSIDERS, INSIDERS),
    Variant("sroi", "published", _sroi_estimate(True), ALL, INSIDERS),
    Variant("sroi", "internal", _sroi_estimate(False), INSIDERS, INSIDERS),
    Variant("synthesis", "published", _synthesis(True), ALL, EDITORS),
    Variant("synthesis", "draft", _synthesis(False), EDITORS, EDITORS),
    Variant("event", "published", _event("published"), ALL, EDITORS),
    Variant("event", "draft", _event("draft"), EDITORS, EDITORS),
    Variant("event-resource", "public", _event_resource("published", "public"), ALL, EDITORS),
    Variant("event-resource", "members", _event_resource("published", "members"),
            frozenset({"outsider", "member", "owner", "animator"}), EDITORS),
    Variant("event-resource", "private", _event_resource("published", "private"), EDITORS, EDITORS),
    Variant("event-resource", "public-of-a-draft", _event_resource("draft", "public"), EDITORS, EDITORS),
]

CHANNELS = [
    # Events (the feed lists published events whoever asks)
    Channel("page", "event", "detail", lambda o: reverse("events:detail", args=[o.slug])),
    Channel("ics", "event", "detail", lambda o: reverse("events:ics", args=[o.slug])),
    Channel("api-ics", "event", "detail", lambda o: f"/api/v1/events/{o.slug}.ics", auth="token"),
    Channel("list", "event", "list", lambda o: reverse("events:list")),
    Channel("api-list", "event", "list", lambda o: "/api/v1/events?limit=100", auth="token"),
    Channel("feed", "event", "list", lambda o: reverse("events:feed"), public_only=True),
    Channel("registrations-csv", "event", "edit", lambda o: reverse("events:registrations_csv", args=[o.slug])),
    Channel("edit-page", "event", "edit", lambda o: reverse("events:edit", args=[o.slug])),
    # Resources owned by an event
    Channel("page", "event-resource", "detail", lambda o: reverse("resources:detail", args=[o.pk])),
    Channel("api", "event-resource", "detail", lambda o: f"/api/v1/resources/{o.pk}", auth="token"),
    Channel("library", "event-resource", "list", lambda o: reverse("resources:list")),
    Channel("api-list", "event-resource", "list", lambda o: "/api/v1/resources?limit=100", auth="token"),
    Channel("edit-page", "event-resource", "edit", lambda o: reverse("resources:edit", args=[o.pk])),
    *_search_rows("event-resource", kind="resource"),
    # Organisations
    Channel("page", "organisation", "detail", lambda o: reverse("actors:detail", args=[o.slug])),
    Channel("directory", "organisation", "list", lambda o: reverse("actors:list"), prepare=_from_index),
    Channel("directory-sql", "organisation", "list", lambda o: reverse("actors:list"), prepare=_from_sql),
    Channel("api", "organisation", "detail", lambda o: f"/api/v1/organisations/{o.slug}", auth="token"),
    *[Channel(name, "organisation", "list", lambda o: "/api/v1/organisations?limit=100", auth="token", prepare=prepare)
      for name, prepare in (("api-list", _from_index), ("api-list-sql", _from_sql))],
    *[Channel(name, "organisation", "list", lambda o: "/api/v1/map/organisations?zoom=18&bbox=-180,-90,180,90",
              auth="token", prepare=prepare)
      for name, prepare in (("map-api", _from_index), ("map-api-sql", _from_sql))],
    *[Channel(f"export-{fmt}", "organisation", "list", lambda o, fmt=fmt: f"/organisations/export.{fmt}")
      for fmt in ("csv", "json", "geojson", "jsonld", "gogocarto")],
    *_search_rows("organisation"),
    Channel("suggest", "organisation", "detail", _suggest_url),
    # The picker matches the folded name the services keep (the variant renamed the row directly).
    Channel("autocomplete", "organisation", "list",
            lambda o: reverse("initiatives:organisation_autocomplete") + "?q=alliance",
            marker=lambda o: f'"slug": "{o.slug}"'),
    *[Channel(name, "organisation", "list", lambda o: reverse("map"), marker=lambda o: '(62) : 1"', prepare=prepare)
      for name, prepare in (("choropleth", _from_index), ("choropleth-sql", _from_sql))],
    *[Channel(name, "organisation", "list", url, marker=marker, prepare=prepare, public_only=True)
      for name, url, marker, prepare in (
          ("network-stats", lambda o: reverse("network"), lambda o: 'id="stat-catalysts">1<', _from_sql),
          ("network-stats-index", lambda o: reverse("network"), lambda o: 'id="stat-catalysts">1<', _from_index),
          ("network-stats-api", lambda o: "/api/v1/stats/network", lambda o: '"catalysts": 1,', _from_sql))],
    Channel("logo-file", "organisation", "detail", lambda o: o.logo.url, prepare=_with_logo),
    # An initiative names its partners on every channel only when the reader may see the organisation.
    Channel("partner-on-initiative-page", "organisation", "list",
            lambda o: reverse("initiatives:detail", args=["initiative-publique"]), prepare=_as_partner),
    Channel("partner-in-initiative-api", "organisation", "list", lambda o: "/api/v1/initiatives/initiative-publique",
            auth="token", prepare=_as_partner),
    Channel("partner-in-form-preview", "organisation", "list", lambda o: reverse("initiatives:create"),
            method="post", signed_in=True, body=lambda o: {
                "title": "Essai", "summary": "s", "recit": "r", "preview": "1", "partner_org": [str(o.pk)],
                "partner_role": ["partenaire"], "partner_joined": [""]}),
    Channel("edit-page", "organisation", "edit", lambda o: reverse("actors:edit", args=[o.slug])),
    Channel("api-patch", "organisation", "edit", lambda o: f"/api/v1/organisations/{o.slug}", auth="token",
            method="patch", body=lambda o: {"version": o.version, "website": "https://exemple.org"}),
    # Initiatives
    Channel("page", "initiative", "detail", lambda o: reverse("initiatives:detail", args=[o.slug])),
    Channel("list", "initiative", "list", lambda o: reverse("initiatives:list"), prepare=_from_index),
    Channel("list-sql", "initiative", "list", lambda o: reverse("initiatives:list"), prepare=_from_sql),
    Channel("api", "initiative", "detail", lambda o: f"/api/v1/initiatives/{o.slug}", auth="token"),
    *[Channel(name, "initiative", "list", lambda o: "/api/v1/initiatives?limit=100", auth="token", prepare=prepare)
      for name, prepare in (("api-list", _from_index), ("api-list-sql", _from_sql))],
    *_search_rows("initiative"),
    Channel("suggest", "initiative", "detail", _suggest_url),
    Channel("sheet-page", "initiative", "detail", _sheet_url, prepare=_with_parts),
    Channel("resource-file", "initiative", "detail", lambda o: o.resources.get().file.url, prepare=_with_parts),
    Channel("cover-file", "initiative", "detail", lambda o: o.cover.url, prepare=_with_parts),
    Channel("resources-page", "initiative", "list", lambda o: reverse("resources:list"), prepare=_with_parts),
    Channel("edit-page", "initiative", "edit", lambda o: reverse("initiatives:edit", args=[o.slug])),
    Channel("edit-preview", "initiative", "edit", lambda o: reverse("initiatives:edit", args=[o.slug]),
            method="post", body=_edit_preview),
    Channel("sheet-edit-page", "initiative", "edit", lambda o: _sheet_url(o, "sheet_edit"), prepare=_with_parts),
    Channel("api-patch", "initiative", "edit", lambda o: f"/api/v1/initiatives/{o.slug}", auth="token",
            method="patch", body=lambda o: {"version": o.version, "summary": "Résumé modifié par la matrice."}),
    # Indicators (evaluation)
    *[Channel(name, "indicator", "detail", lambda o, suffix=suffix: f"/api/v1/evaluation/indicators/{o.pk}{suffix}",
              auth="token") for name, suffix in (("api", ""), ("api-versions", "/versions"),
                                                 ("api-progress", "/progress?on=2025-01-01"))],
    Channel("api-patch", "indicator", "edit", lambda o: f"/api/v1/evaluation/indicators/{o.pk}", auth="token",
            method="patch", body=lambda o: {"key": True}),
    # Evaluation part 2: items published with co-validation
    # (the initiative's own name carries MARKER: the item's text is what must show or not)
    *[Channel(name, family, "list", url, auth=auth, marker=lambda o, text=text: f"{MARKER} {text}")
      for family, path, page, text in (
          ("mobilisation", "mobilisation", "evaluation:mobilisation", "motif"),
          ("maturity", "maturity", "evaluation:maturity", "vague"))
      for name, url, auth in (
          ("api", lambda o, path=path: f"/api/v1/initiatives/{o.initiative.slug}/{path}", "token"),
          ("page", lambda o, page=page: reverse(page, args=[o.initiative.slug]), "session"))],
    *_search_rows("indicator", page_marker=lambda o: f"/evaluation/indicateurs/{o.pk}/", kind="indicator"),
    # Evidence (evaluation)
    Channel("api", "evidence", "detail", lambda o: f"/api/v1/evaluation/evidence/{o.pk}", auth="token"),
    Channel("evidence-file", "evidence", "detail", lambda o: o.file.url, prepare=_with_evidence_file),
    *_search_rows("evidence", page_marker=lambda o: f"#preuve-{o.pk}", kind="evidence"),
    Channel("api-patch", "evidence", "edit", lambda o: f"/api/v1/evaluation/evidence/{o.pk}", auth="token",
            method="patch", body=lambda o: {"tags": "matrice"}),
    Channel("edit-page", "evidence", "edit",
            lambda o: reverse("evaluation:evidence_edit", args=[o.initiative.slug, o.pk])),
    # Change paths and SROI estimates (evaluation part 2)
    Channel("api-journal", "change-path", "detail",
            lambda o: f"/api/v1/initiatives/{o.initiative.slug}/change-paths/{o.pk}/journal", auth="token"),
    Channel("api", "sroi", "list", lambda o: f"/api/v1/initiatives/{o.initiative.slug}/sroi", auth="token"),
    # The pages name the initiative (whose title holds the marker too): look for the estimate's own title.
    Channel("page", "sroi", "list", lambda o: reverse("evaluation:sroi", args=[o.initiative.slug]),
            marker=lambda o: o.title),
    Channel("scorecard", "sroi", "list", lambda o: reverse("evaluation:scorecard", args=[o.initiative.slug]),
            marker=lambda o: o.title),
    Channel("csv", "sroi", "detail", lambda o: reverse("evaluation:sroi_export", args=[o.initiative.slug, o.pk])),
    # Workshop syntheses
    Channel("page", "synthesis", "detail", lambda o: reverse("syntheses:board", args=[o.board_id])),
    Channel("edit", "synthesis", "edit", lambda o: reverse("syntheses:edit", args=[o.board_id])),
    Channel("event-page", "synthesis", "list", lambda o: reverse("syntheses:event", args=["rencontre-matrice"])),
    *_search_rows("synthesis"),
]

CASES = [
    pytest.param(channel, variant, id=f"{channel.family}-{channel.name}-{variant.name}")
    for channel in CHANNELS for variant in VARIANTS if variant.family == channel.family
]


@pytest.fixture
def people(owner, member, outsider, animator):
    return {"anonymous": None, "outsider": outsider, "member": member, "owner": owner, "animator": animator}


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _request(client, channel: Channel, obj, person):
    headers = {}
    if person is not None and channel.auth == "session":
        client.force_login(person)
    elif person is not None:
        key = services.api_token_create(user=person, name="matrice", scope="write")[1]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    if channel.method == "patch":
        return client.patch(channel.url(obj), channel.body(obj), content_type="application/json", **headers)
    if channel.method == "post":
        return client.post(channel.url(obj), channel.body(obj), **headers)
    return client.get(channel.url(obj), **headers)


def _check(channel: Channel, variant: Variant, role: str, obj, response) -> None:
    visible, editable = role in variant.viewers, role in variant.editors
    if channel.public_only:
        visible = "anonymous" in variant.viewers
    status = response.status_code
    if channel.signed_in and role == "anonymous":
        assert status == 302 and reverse("accounts:login") in response["Location"], f"got {status}"
    elif channel.kind == "detail":
        assert status == (200 if visible else 404), f"expected {200 if visible else 404}, got {status}"
    elif channel.kind == "list":
        assert status == 200, f"listing answered {status}"
        assert (channel.marker(obj) in _body(response)) == visible, "shown" if not visible else "missing"
    elif role == "anonymous" and status in {302, 401}:
        # Sign in first, whatever the object: the same answer as for a slug that does not exist.
        assert status == 401 or reverse("accounts:login") in response["Location"]
    elif not visible:
        assert status == 404, f"expected 404, got {status}"
    elif editable:
        assert status == 200, f"expected 200, got {status}"
    else:
        assert status in {401, 403}, f"expected 401/403, got {status}"
    if channel.kind != "edit" and role in {"anonymous", "outsider"}:
        assert SECRET_EMAIL not in _body(response), "contact email leaked"


@pytest.mark.parametrize(("channel", "variant"), CASES)
def test_every_channel_follows_the_permission_matrix(client, org, people, channel, variant, settings, tmp_path):
    obj = variant.make(org)
    if channel.prepare:
        channel.prepare(settings, tmp_path, obj)
    failures = []
    for role in ROLES:  # one object, five people: a failure names the role
        client.logout()
        obj.refresh_from_db()
        response = _request(client, channel, obj, people[role])
        try:
            _check(channel, variant, role, obj, response)
        except AssertionError as exc:
            failures.append(f"{role}: {exc}")
    assert not failures, "; ".join(failures)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v.family}-{v.name}")
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_module_itself_agrees_with_the_matrix(org, people, variant, role):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.core import permissions

    obj = variant.make(org)
    person = people[role] or AnonymousUser()
    assert permissions.can_view(person, obj) == (role in variant.viewers)
    assert permissions.can_edit(person, obj) == (role in variant.editors)
    assert permissions.visible_queryset(person, type(obj).objects.filter(pk=obj.pk)).exists() == (
        role in variant.viewers)
