from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalyse.accounts.audit import audit_record
from catalyse.accounts.models import AuditEntry, Role
from catalyse.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN)


def test_the_audit_log_is_for_administrators_only(client, animator, admin_user):
    client.force_login(animator)
    assert client.get(reverse("accounts:audit")).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("accounts:audit")).status_code == 200


def test_the_audit_log_exports_as_csv_without_formula_injection(client, admin_user, org):
    audit_record("update", obj=org, actor=admin_user, changes={"name": ["=HYPERLINK()", "b"]}, object_repr="=cmd")
    client.force_login(admin_user)
    response = client.get(reverse("accounts:audit") + "?format=csv")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("at,action,actor")
    assert ",'=cmd," in body


def test_the_audit_csv_neutralises_a_formula_led_by_a_tab(client, admin_user, org):
    audit_record("update", obj=org, actor=admin_user, object_repr="\t=cmd")
    client.force_login(admin_user)
    body = client.get(reverse("accounts:audit") + "?format=csv").content.decode()
    assert ",'\t=cmd," in body


def test_old_entries_are_purged_per_the_retention_setting(settings, org):
    settings.CATALYSE_AUDIT_RETENTION_DAYS = 30
    old = audit_record("update", obj=org)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = audit_record("update", obj=org)
    call_command("audit_purge")
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_entries_outside_a_request_are_attributed_to_the_system(org):
    assert audit_record("update", obj=org).actor_label == "système"


def test_organisation_changes_are_recorded_with_old_and_new_values(org, owner):
    from catalyse.actors.services import organisation_update

    organisation_update(org, name="Nouveau nom", website=org.website)
    entry = AuditEntry.objects.filter(action="update", object_id=str(org.pk)).latest("at")
    assert entry.changes == {"name": ["Alliance d'essai", "Nouveau nom"]}


def test_failed_logins_are_recorded_with_the_address(client, member):
    client.post(reverse("accounts:login"), {"email": member.email, "password": "faux"}, REMOTE_ADDR="192.0.2.7")
    assert AuditEntry.objects.get(action="login_failed").ip == "192.0.2.7"


def test_merging_duplicates_records_the_removed_organisation(org, animator):
    from catalyse.actors.services import organisation_merge
    from catalyse.actors.tests.factories import OrganisationFactory

    twin = OrganisationFactory(name="Alliance d'essai (doublon)")
    organisation_merge(keep=org, remove=twin, merged_by=animator)
    entry = AuditEntry.objects.get(action="delete")
    assert entry.changes["merged_into"] == org.slug and entry.actor == animator


def test_proposing_an_organisation_records_its_new_editor(member):
    from catalyse.actors.services import organisation_propose

    org = organisation_propose(user=member, name="Tiers-lieu", profile="public")
    assert AuditEntry.objects.filter(action="permission", object_id=str(org.pk)).exists()


def test_initiative_changes_are_recorded(member):
    from catalyse.initiatives.services import initiative_create, initiative_update

    initiative = initiative_create(created_by=member, title="Épicerie solidaire", summary="Une épicerie.")
    initiative_update(initiative, author=member, summary="Une épicerie itinérante.")
    entry = AuditEntry.objects.filter(action="update", object_id=str(initiative.pk)).get()
    assert entry.changes == {"summary": ["Une épicerie.", "Une épicerie itinérante."]} and entry.actor == member
