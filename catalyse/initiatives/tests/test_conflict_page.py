"""Two people edit the same initiative: the second save gets a conflict page, and nothing is lost."""

import pytest
from django.test import Client

from catalyse.initiatives import services


def form_data(initiative, **changes):
    data = {
        "title": initiative.title, "summary": initiative.summary, "recit": initiative.recit,
        "stage": initiative.stage, "status": initiative.status, "visibility": initiative.visibility,
        "version": initiative.version, "territories": ["commune:62528"],
    }
    return data | changes


def test_second_editor_gets_a_conflict_page_with_both_versions(carried, owner, animator):
    first, second = Client(), Client()
    first.force_login(owner)
    second.force_login(animator)
    stale = form_data(carried)
    assert first.post(f"/initiatives/{carried.slug}/modifier/",
                      form_data(carried, recit="Le récit de la première personne.")).status_code == 302
    response = second.post(f"/initiatives/{carried.slug}/modifier/", stale | {"recit": "Le récit de la seconde."})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Le récit de la première personne." in body  # their version
    assert "Le récit de la seconde." in body  # mine, kept in the form
    carried.refresh_from_db()
    assert carried.recit == "Le récit de la première personne."
    assert f'name="version" value="{carried.version}"' in body


def test_saving_again_from_the_conflict_page_applies_my_version(carried, owner, animator):
    services.initiative_update(carried, author=owner, recit="Autre version")
    carried.refresh_from_db()
    client = Client()
    client.force_login(animator)
    response = client.post(f"/initiatives/{carried.slug}/modifier/", form_data(carried, recit="Ma version"))
    assert response.status_code == 302
    carried.refresh_from_db()
    assert carried.recit == "Ma version"


def test_sheet_conflict_shows_a_conflict_page(carried, owner, animator):
    sheet = services.sheet_create(initiative=carried, author=owner, title="Fiche", objective="Départ")
    data = {"title": "Fiche", "objective": "Version A", "version": sheet.version}
    a, b = Client(), Client()
    a.force_login(owner)
    b.force_login(animator)
    assert a.post(f"/initiatives/{carried.slug}/fiches/{sheet.pk}/modifier/", data).status_code == 302
    response = b.post(f"/initiatives/{carried.slug}/fiches/{sheet.pk}/modifier/", data | {"objective": "Version B"})
    assert response.status_code == 409
    assert "Version A" in response.content.decode() and "Version B" in response.content.decode()


@pytest.mark.parametrize("version", ["", None], ids=["empty", "absent"])
def test_an_initiative_edit_that_does_not_say_its_version_gets_the_conflict_page(carried, owner, version):
    client = Client()
    client.force_login(owner)
    data = form_data(carried, recit="Mon récit")
    data.pop("version")
    if version is not None:
        data["version"] = version
    response = client.post(f"/initiatives/{carried.slug}/modifier/", data)
    assert response.status_code == 409 and "Mon récit" in response.content.decode()
    carried.refresh_from_db()
    assert carried.recit != "Mon récit"


@pytest.mark.parametrize("version", ["", None], ids=["empty", "absent"])
def test_a_sheet_edit_that_does_not_say_its_version_gets_the_conflict_page(carried, owner, version):
    sheet = services.sheet_create(initiative=carried, author=owner, title="Fiche", objective="Départ")
    client = Client()
    client.force_login(owner)
    data = {"title": "Fiche", "objective": "Mon objectif"} | ({} if version is None else {"version": version})
    response = client.post(f"/initiatives/{carried.slug}/fiches/{sheet.pk}/modifier/", data)
    assert response.status_code == 409 and "Mon objectif" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.objective == "Départ"
