"""Two animators editing one service: the second save, made from an older version, never overwrites the first;
the form comes back (409) with what was typed and the stored values beside it."""

import pytest

from catalyse.accounts.models import AuditEntry
from catalyse.core.concurrency import ConflictError
from catalyse.resources import services
from catalyse.resources.models import Family, Tool

from .factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool():
    return services.tool_create(name="Atlas des haies", family=Family.DATA, summary="Les haies par commune.",
                                provider_text="Observatoire bocager", levels=["commune"])


def _typed(**changes) -> dict:
    """What an animator sends from the edit page loaded at version 1."""
    return {"name": "Atlas des haies", "family": "donnees", "summary": "Les haies par commune.",
            "provider_name": "Observatoire bocager", "url": "", "levels": ["commune"], "version": 1, **changes}


def _edit_url(tool: Tool) -> str:
    return f"/ressources/boite-a-outils/{tool.slug}/modifier/"


def test_the_edit_page_carries_the_version_it_shows(tool, animator):
    services.tool_update(tool, author=animator, expected_version=1, summary="Revue.")
    page = client_for(animator).get(_edit_url(tool)).content.decode()
    assert 'name="version" value="2"' in page


def test_a_save_from_an_older_version_answers_409_keeps_the_input_and_shows_the_stored_values(tool, animator):
    services.tool_update(Tool.objects.get(pk=tool.pk), author=animator, expected_version=1,
                         name="Atlas des mares", summary="Les mares par commune.")
    response = client_for(animator).post(_edit_url(tool), _typed(summary="Haies et talus, commune par commune."))
    page = response.content.decode()

    assert response.status_code == 409
    stored = Tool.objects.get(pk=tool.pk)
    assert (stored.name, stored.summary, stored.version) == ("Atlas des mares", "Les mares par commune.", 2)
    assert "Quelqu'un a modifié « Atlas des mares »" in page
    # What this person typed is in the form, now based on the stored version...
    assert 'name="name" value="Atlas des haies"' in page and "Haies et talus, commune par commune." in page
    assert 'name="version" value="2"' in page
    # ...and the stored values stand beside it, field by field.
    assert "<th scope=\"row\">Nom</th><td>Atlas des mares</td><td>Atlas des haies</td>" in page
    assert "Les mares par commune." in page


def test_saving_again_after_the_conflict_is_a_deliberate_overwrite(tool, animator):
    services.tool_update(Tool.objects.get(pk=tool.pk), author=animator, expected_version=1, name="Atlas des mares")
    client = client_for(animator)
    assert client.post(_edit_url(tool), _typed(summary="Ma version.")).status_code == 409
    response = client.post(_edit_url(tool), _typed(summary="Ma version.", version=2))
    assert response.status_code == 302
    tool.refresh_from_db()
    assert (tool.name, tool.summary, tool.version) == ("Atlas des haies", "Ma version.", 3)


def test_a_form_posted_without_its_version_never_overwrites(tool, animator):
    data = _typed(name="Autre nom")
    del data["version"]
    assert client_for(animator).post(_edit_url(tool), data).status_code == 409
    assert Tool.objects.get(pk=tool.pk).name == "Atlas des haies"


def test_the_service_refuses_a_stale_version_and_records_nothing(tool, animator):
    first, second = Tool.objects.get(pk=tool.pk), Tool.objects.get(pk=tool.pk)
    services.tool_update(first, author=animator, expected_version=1, name="Atlas des mares")
    audited = AuditEntry.objects.count()
    with pytest.raises(ConflictError) as raised:
        services.tool_update(second, author=animator, expected_version=1, name="Atlas des talus")
    assert raised.value.current.name == "Atlas des mares"
    assert Tool.objects.values_list("name", "version").get(pk=tool.pk) == ("Atlas des mares", 2)
    assert AuditEntry.objects.count() == audited


def test_an_update_is_audited_and_bumps_the_version(tool, animator):
    services.tool_update(tool, author=animator, expected_version=1, name="Atlas des mares", levels=["epci"])
    entry = AuditEntry.objects.filter(action="update", object_id=str(tool.pk)).latest("pk")
    assert entry.actor == animator
    assert entry.changes == {"name": ["Atlas des haies", "Atlas des mares"], "levels": [["commune"], ["epci"]]}
    assert Tool.objects.get(pk=tool.pk).version == 2
