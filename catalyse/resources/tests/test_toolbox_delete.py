"""A service leaves the toolbox through a confirmation page, by the hand of the network's animators or
administrators only; it leaves the search index with it, and the audit log says who removed it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.accounts.models import AuditEntry, Role
from catalyse.accounts.tests.factories import UserFactory
from catalyse.resources import services
from catalyse.resources.models import Family, Tool
from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run

from .factories import ToolFactory, client_for

pytestmark = pytest.mark.django_db


def _delete_url(tool: Tool) -> str:
    return f"/ressources/boite-a-outils/{tool.slug}/supprimer/"


def _found(backend, words: str) -> set[str]:
    hits = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict(f"q={words}")), backend=backend).hits
    return {h.title for h in hits}


def test_the_page_asks_before_deleting(animator):
    tool = ToolFactory(name="Atlas des haies")
    response = client_for(animator).get(_delete_url(tool))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Supprimer le service « Atlas des haies » ?" in page and 'method="post"' in page
    assert Tool.objects.filter(pk=tool.pk).exists()


def test_visitors_are_sent_to_sign_in_and_nobody_else_but_the_staff_deletes(client, owner, member, outsider):
    tool = ToolFactory()
    response = client.post(_delete_url(tool))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    for user in (owner, member, outsider):
        assert client_for(user).get(_delete_url(tool)).status_code == 403
        assert client_for(user).post(_delete_url(tool)).status_code == 403
    assert Tool.objects.filter(pk=tool.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_an_unknown_service_is_not_found(animator):
    assert client_for(animator).post("/ressources/boite-a-outils/pas-de-service/supprimer/").status_code == 404


@pytest.mark.parametrize("role", [Role.ANIMATOR, Role.ADMIN])
def test_the_staff_deletes_a_service_it_leaves_the_search_and_the_audit_log_says_so(backend, role):
    staff = UserFactory(role=role)
    tool = services.tool_create(name="Atlas des haies", family=Family.DATA)
    kept = services.tool_create(name="Atlas des mares", family=Family.DATA)
    outbox_process()
    assert _found(backend, "atlas") == {"Atlas des haies", "Atlas des mares"}

    response = client_for(staff).post(_delete_url(tool), follow=True)

    assert response.redirect_chain == [("/ressources/boite-a-outils/", 302)]
    assert "Le service « Atlas des haies » est retiré de la boîte à outils." in response.content.decode()
    assert not Tool.objects.filter(pk=tool.pk).exists() and Tool.objects.filter(pk=kept.pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_id=str(tool.pk))
    assert (entry.actor, entry.object_repr, entry.changes["name"]) == (staff, "Atlas des haies", "Atlas des haies")
    outbox_process()
    assert _found(backend, "atlas") == {"Atlas des mares"}


def test_the_delete_link_shows_to_those_who_may_delete(owner, animator):
    tool = ToolFactory()
    for url in (tool.get_absolute_url(), f"/ressources/boite-a-outils/{tool.slug}/modifier/"):
        assert f'href="{_delete_url(tool)}"' in client_for(animator).get(url).content.decode()
    assert _delete_url(tool) not in client_for(owner).get(tool.get_absolute_url()).content.decode()
    assert _delete_url(tool) not in client_for(None).get(tool.get_absolute_url()).content.decode()
