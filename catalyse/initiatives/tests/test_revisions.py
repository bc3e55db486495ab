import pytest
from django.test import Client

from catalyse.core.concurrency import ConflictError
from catalyse.initiatives import services
from catalyse.initiatives.models import Revision, Stage, Theme
from catalyse.initiatives.revisions import revision_diff


@pytest.fixture
def story(owner):
    return services.initiative_create(
        created_by=owner, title="Pôle territorial pour l'emploi", summary="Un pôle qui relie les acteurs de l'emploi.",
        recit="Au départ, trois structures.", themes=Theme.objects.filter(code__in=["emploi", "economie"]),
        sdgs=[8], publication="published",
    )


def test_creation_records_version_one(story, owner):
    revision = story.revisions.get()
    assert (revision.number, revision.author, revision.snapshot["title"]) == (1, owner, story.title)


def test_each_update_records_a_new_version_with_a_readable_diff(story, owner):
    services.initiative_update(story, author=owner, expected_version=story.version, recit="Au départ, cinq structures.",
                               themes=Theme.objects.filter(code="emploi"), message="Corrige le nombre")
    new, old = story.revisions.order_by("-number")[:2]
    changes = dict(revision_diff(new, old))
    assert set(changes) == {"Récit", "Thèmes"}
    assert "<del>trois</del><ins>cinq</ins>" in changes["Récit"]
    assert "<del>Économie</del>" in changes["Thèmes"]
    assert new.message == "Corrige le nombre"


def test_diff_escapes_html_typed_by_authors(story, owner):
    services.initiative_update(story, author=owner, summary="<script>alert(1)</script>")
    new, old = story.revisions.order_by("-number")[:2]
    html = dict(revision_diff(new, old))["Résumé"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_restore_brings_back_an_old_version_as_a_new_one(story, owner):
    services.initiative_update(story, author=owner, title="Titre changé", sdgs=[1, 2], stage=Stage.ESSAIMAGE)
    first = story.revisions.get(number=1)
    services.initiative_restore(story, revision=first, author=owner)
    story.refresh_from_db()
    assert story.title == "Pôle territorial pour l'emploi"
    assert list(story.sdgs.values_list("number", flat=True)) == [8]
    assert story.stage == Stage.EMERGENCE
    latest = story.revisions.order_by("-number").first()
    assert latest.number == 3 and "Restauration de la version 1" in latest.message


def test_stage_change_is_dated_and_recorded(story, owner):
    from django.utils import timezone

    services.stage_change(story, stage=Stage.MULTI_SITES, changed_on=timezone.localdate(), author=owner)
    story.refresh_from_db()
    assert story.stage == Stage.MULTI_SITES
    assert [c.stage for c in story.stage_changes.all()][-1] == Stage.MULTI_SITES


def test_a_stage_change_dated_in_the_past_does_not_replace_a_later_one(story, owner):
    import datetime

    services.stage_change(story, stage=Stage.ESSAIMAGE, changed_on=datetime.date(2030, 1, 1), author=owner)
    services.stage_change(story, stage=Stage.EXPERIMENTATION, changed_on=datetime.date(2001, 1, 1), author=owner)
    story.refresh_from_db()
    assert story.stage == Stage.ESSAIMAGE


def test_second_save_from_an_old_version_is_refused(story, owner, animator):
    read_version = story.version
    services.initiative_update(story, author=animator, expected_version=read_version, summary="Version de l'animatrice")
    with pytest.raises(ConflictError) as conflict:
        services.initiative_update(story, author=owner, expected_version=read_version, summary="Ma version")
    assert conflict.value.current.summary == "Version de l'animatrice"
    story.refresh_from_db()
    assert story.summary == "Version de l'animatrice"


def test_sheet_history_diff_and_restore(story, owner):
    sheet = services.sheet_create(initiative=story, author=owner, title="Cadre logique", objective="Mesurer l'accès")
    services.sheet_update(sheet, author=owner, expected_version=sheet.version, objective="Mesurer le retour à l'emploi")
    assert [r.number for r in sheet.revisions.all()] == [2, 1]
    services.sheet_restore(sheet, revision=sheet.revisions.get(number=1), author=owner)
    sheet.refresh_from_db()
    assert sheet.objective == "Mesurer l'accès"
    assert Revision.objects.filter(initiative=story, sheet__isnull=True).count() == 1  # sheets have their own


def test_history_page_shows_diffs_and_restore_buttons_to_editors(story, owner):
    services.initiative_update(story, author=owner, summary="Un pôle qui relie les acteurs locaux de l'emploi.")
    client = Client()
    client.force_login(owner)
    body = client.get(f"/initiatives/{story.slug}/historique/").content.decode()
    assert "<ins>locaux </ins>" in body and "Restaurer la version 1" in body
    response = client.post(f"/initiatives/{story.slug}/historique/1/restaurer/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.summary == "Un pôle qui relie les acteurs de l'emploi."


def test_visitors_cannot_restore(story, outsider):
    client = Client()
    client.force_login(outsider)
    assert client.post(f"/initiatives/{story.slug}/historique/1/restaurer/").status_code == 403


def test_a_sheet_edit_is_audited_like_every_versioned_edit(carried, owner):
    from catalyse.accounts.models import AuditEntry

    sheet = services.sheet_create(initiative=carried, author=owner, title="Fiche", objective="Départ")
    services.sheet_update(sheet, author=owner, expected_version=sheet.version, objective="Arrivée")
    entry = AuditEntry.objects.filter(action="update", object_id=str(sheet.pk)).get()
    assert entry.actor == owner and entry.changes == {"objective": ["Départ", "Arrivée"]}
