"""The events pages in a browser, at desktop and phone widths: no serious accessibility violation, no
horizontal scrolling; a visitor registers through the form and an organiser sees the full list."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from catalyse.actors.models import MembershipRole
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.core.tests.main_pages import sign_in
from catalyse.events import services
from catalyse.events.models import EventKind, SessionKind

from .factories import EventFactory, RegistrationFactory, SessionFactory, in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event():
    organiser = OrganisationFactory(name="Réseau organisateur")
    event = EventFactory(
        title="Rencontre des catalyseurs",
        kind=EventKind.ANNUAL_MEETING,
        organiser=organiser,
        capacity=3,
        address="Salle des fêtes",
        online_url="https://visio.example.org/salle",
        description="Une **journée** d'échanges.",
    )
    SessionFactory(event=event, title="Plénière d'ouverture", kind=SessionKind.PLENARY, place="Amphithéâtre")
    SessionFactory(event=event, title="Groupe bleu", starts_at=in_days(10, 11), ends_at=in_days(10, 12))
    SessionFactory(event=event, title="Groupe rouge", starts_at=in_days(10, 11), ends_at=in_days(10, 12))
    RegistrationFactory(event=event, name="C. L.", public_name=True)
    RegistrationFactory(event=event, name="Nom Caché", public_name=False)
    EventFactory(title="Webinaire passé", kind=EventKind.WEBINAR, starts_at=in_days(-20), ends_at=in_days(-20, 10))
    return event


@pytest.mark.parametrize("width", [1280, 390])
def test_the_list_and_the_event_page_are_accessible_and_fit(page, axe, event, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/evenements/")
    expect(page.get_by_role("heading", name="1 événement à venir")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    with page.expect_navigation():
        page.get_by_role("link", name="Rencontre des catalyseurs").click()
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter à mon agenda (iCal)")).to_have_attribute(
        "href", f"/evenements/{event.slug}.ics"
    )
    expect(page.get_by_text("Nom Caché")).to_have_count(0)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_a_visitor_registers_with_a_group_and_a_public_name_then_joins_the_waiting_list(page, axe, event):
    page.goto(page.base_url + event.get_absolute_url())
    page.get_by_role("textbox", name="Nom", exact=True).fill("A. B.")
    page.get_by_label("Adresse électronique").fill("ab@example.org")
    page.get_by_label("Groupe d'atelier").select_option(label="Groupe rouge")
    page.get_by_label("Afficher mon nom dans la liste publique des participants").check()
    with page.expect_navigation():
        page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Un courriel part vers l'adresse indiquée")).to_be_visible()
    expect(page.locator(".participant-list")).to_contain_text("A. B.")
    expect(page.get_by_text("L'événement est complet")).to_be_visible()
    # a wrong address: a clear message, the name kept
    page.get_by_role("textbox", name="Nom", exact=True).fill("D. E.")
    page.get_by_label("Adresse électronique").fill("pas une adresse")
    with page.expect_navigation():
        page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("alert")).to_contain_text("adresse")
    expect(page.get_by_role("textbox", name="Nom", exact=True)).to_have_value("D. E.")
    axe(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_organisers_see_every_registration_with_their_tools(page, axe, event, width):
    editor = MembershipFactory(organisation=event.organiser, role=MembershipRole.EDITOR).user
    services.registration_create(event=event, name="En attente", email="attente@example.org")
    sign_in(page.context, page.base_url, editor)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + event.get_absolute_url())
    table = page.get_by_role("region", name="Tableau des inscriptions")
    expect(table).to_contain_text("Nom Caché")
    expect(page.get_by_role("link", name="Exporter les inscriptions (CSV)")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Marquer C. L. présent").click()
    expect(page.get_by_role("button", name="Marquer C. L. absent")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def _moment(days: int, hour: int) -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%Y-%m-%d") + f"T{hour:02d}:00"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_animator_creates_an_event_with_two_programme_rows_and_finds_it_on_the_list(page, axe, width):
    from catalyse.accounts.models import Role
    from catalyse.accounts.tests.factories import UserFactory

    sign_in(page.context, page.base_url, UserFactory(role=Role.ANIMATOR))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/evenements/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ajouter un événement").click()
    expect(page.get_by_role("heading", name="Ajouter un événement")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.get_by_label("Type").select_option(label="Webinaire")
    page.get_by_role("textbox", name="Titre").fill("Webinaire des haies")
    page.get_by_label("Début (heure de Paris)").fill(_moment(30, 9))
    page.get_by_label("Fin (heure de Paris)").fill(_moment(30, 12))
    page.get_by_label("Publié").check()
    first, second = page.get_by_role("group", name="Séance 1"), page.get_by_role("group", name="Séance 2")
    first.get_by_label("Intitulé").fill("Introduction")
    first.get_by_label("Début").fill(_moment(30, 9))
    first.get_by_label("Fin").fill(_moment(30, 10))
    second.get_by_label("Intitulé").fill("Table ronde des planteurs")
    second.get_by_label("Format").select_option(label="Table ronde")
    second.get_by_label("Début").fill(_moment(30, 10))
    second.get_by_label("Fin").fill(_moment(30, 13))  # after the event's end: refused, kept
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_contain_text("L'événement n'est pas enregistré")
    expect(page.get_by_text("« Table ronde des planteurs » : La séance doit se tenir pendant")).to_be_visible()
    expect(second.get_by_label("Intitulé")).to_have_value("Table ronde des planteurs")
    axe(page)
    second.get_by_label("Fin").fill(_moment(30, 12))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Événement enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    expect(page.get_by_role("heading", name="Table ronde des planteurs")).to_be_visible()
    page.goto(page.base_url + "/evenements/")
    expect(page.get_by_role("link", name="Webinaire des haies")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("width", [1280, 390])
def test_a_visitor_manages_their_registration_from_the_link_of_their_email(page, axe, event, width):
    """Registered signed out: the e-mail's link opens their registration, where they hide their name and
    cancel; a mangled link gets the French 404."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + event.get_absolute_url())
    page.get_by_role("textbox", name="Nom", exact=True).fill("A. B.")
    page.get_by_label("Adresse électronique").fill("ab@example.org")
    page.get_by_label("Afficher mon nom dans la liste publique des participants").check()
    with page.expect_navigation():
        page.get_by_role("button", name="M'inscrire").click()
    link = re.search(r"https?://[^/\s]+(/evenements/\S+/inscription/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(page.base_url + link)
    expect(page.get_by_role("heading", name="Mon inscription", exact=True)).to_be_visible()
    expect(page.get_by_text("Vous êtes inscrit·e.")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    box = page.get_by_label("Afficher mon nom dans la liste publique des participants")
    expect(box).to_be_checked()
    box.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page.get_by_role("status")).to_contain_text("Votre nom ne paraît pas")
    expect(box).not_to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée")
    axe(page)
    page.goto(page.base_url + link.replace(":", ":x", 1))
    expect(page.get_by_role("heading", name="Ce lien d'inscription n'est pas valable")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
