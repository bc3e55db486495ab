"""Error pages are French, in the site's layout, and give the reason the code gave."""

import html

import pytest
from django.test import Client

from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("catalyse.core.tests.error_urls")]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def in_layout(response) -> bool:
    body = page_text(response)
    return '<html lang="fr"' in body and "Aller au contenu" in body and 'role="search"' in body


def test_an_unknown_address_gets_the_french_404_page(client):
    response = client.get("/organisations/n-existe-pas/")
    assert response.status_code == 404
    assert in_layout(response)
    assert "Page introuvable" in page_text(response)
    assert "No Organisation matches" not in page_text(response)


def test_a_private_initiative_looks_missing_and_a_visitor_is_offered_to_sign_in(client):
    secret = InitiativeFactory(visibility=Visibility.PARTNERS)
    response = client.get(f"/initiatives/{secret.slug}/")
    assert response.status_code == 404
    assert "Se connecter pour voir les contenus réservés" in page_text(response)
    assert secret.title not in page_text(response)


def test_the_403_page_gives_the_reason_from_the_code(client):
    response = client.get("/test-erreurs/403/")
    assert response.status_code == 403
    assert in_layout(response)
    assert "Accès refusé" in page_text(response)
    assert "Réservé aux partenaires de l'initiative." in page_text(response)
    assert "Forbidden" not in page_text(response)


def test_the_403_page_without_a_reason_says_rights_are_missing(client):
    response = client.get("/test-erreurs/403-sans-raison/")
    assert response.status_code == 403
    assert "Vous n'avez pas les droits nécessaires" in page_text(response)


def test_a_member_who_may_not_edit_is_told_why(client, org, member):
    client.force_login(member)
    response = client.get(f"/organisations/{org.slug}/modifier/")
    assert response.status_code == 403
    assert "Vous ne pouvez pas modifier cet élément." in page_text(response)


def test_a_form_sent_without_its_csrf_token_gets_a_french_explanation(outsider):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": outsider.email, "password": "x"})
    assert response.status_code == 403
    assert in_layout(response)
    assert "Le formulaire a expiré" in page_text(response)
    assert "Rechargez la page du formulaire" in page_text(response)
    assert "CSRF" not in page_text(response)


def test_a_malformed_request_gets_the_french_400_page(client):
    response = client.get("/test-erreurs/400/")
    assert response.status_code == 400
    assert in_layout(response)
    assert "La requête n'a pas pu être comprise" in page_text(response)


def test_a_nul_byte_in_the_address_is_refused_with_its_reason(client):
    response = client.get("/organisations/?q=a%00b")
    assert response.status_code == 400
    assert in_layout(response)
    assert "Caractère nul refusé dans l'adresse." in page_text(response)


def test_a_rate_limited_page_says_when_to_retry(client):
    response = client.get("/test-erreurs/429/")
    assert response.status_code == 429
    assert response["Retry-After"] == "150"
    assert in_layout(response)
    assert "Réessayez dans 3 minutes." in page_text(response)


def test_a_rate_limited_api_call_answers_json(client):
    response = client.get("/api/v1/test-erreurs/429/")
    assert response.status_code == 429
    assert response.json() == {"detail": "Trop de requêtes : réessayez plus tard."}


def test_a_server_error_shows_the_french_500_page_with_debug_off(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/test-erreurs/500/")
    assert response.status_code == 500
    assert in_layout(response)
    assert "Une erreur est survenue de notre côté" in page_text(response)
    assert "boom" not in page_text(response)


def test_one_minute_to_wait_is_said_in_the_singular(client):
    assert "Réessayez dans 1 minute." in page_text(client.get("/test-erreurs/429-bref/"))
