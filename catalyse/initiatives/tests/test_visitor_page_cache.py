"""Visitors share a cached copy of an initiative's page; it follows every change and never crosses audiences."""

from django.test import Client

from catalyse.initiatives import services
from catalyse.initiatives.models import Visibility


def test_visitor_sees_a_change_right_after_a_save(carried, org, owner):
    visitor = Client()
    assert "Transition de la ville minière" in visitor.get(carried.get_absolute_url()).content.decode()
    services.initiative_update(carried, author=owner, title="Transition du bassin minier")
    assert "Transition du bassin minier" in visitor.get(carried.get_absolute_url()).content.decode()
    org.name = "Alliance renommée"
    org.save()
    assert "Alliance renommée" in visitor.get(carried.get_absolute_url()).content.decode()


def test_a_cached_visitor_copy_costs_no_query(carried, django_assert_num_queries):
    visitor = Client()
    first = visitor.get(carried.get_absolute_url())
    with django_assert_num_queries(0):
        again = visitor.get(carried.get_absolute_url())
    assert again.content == first.content


def test_visitor_copy_carries_nothing_of_one_person(carried):
    response = Client().get(carried.get_absolute_url())
    assert not response.cookies and "csrfmiddlewaretoken" not in response.content.decode()


def test_an_initiative_made_members_only_is_no_longer_served_to_visitors(carried, owner):
    visitor = Client()
    assert visitor.get(carried.get_absolute_url()).status_code == 200
    services.initiative_update(carried, author=owner, visibility=Visibility.MEMBERS)
    assert visitor.get(carried.get_absolute_url()).status_code == 404


def test_a_members_only_page_seen_by_a_member_is_never_served_to_visitors(members_only, outsider):
    member = Client()
    member.force_login(outsider)
    assert member.get(members_only.get_absolute_url()).status_code == 200
    assert Client().get(members_only.get_absolute_url()).status_code == 404


def test_a_signed_in_person_never_gets_the_visitor_copy(carried, owner):
    Client().get(carried.get_absolute_url())
    editor = Client()
    editor.force_login(owner)
    body = editor.get(carried.get_absolute_url()).content.decode()
    assert "Se déconnecter" in body and f"/initiatives/{carried.slug}/modifier/" in body


def test_visitor_sees_a_partner_renamed_by_an_import(carried, org, tmp_path):
    from catalyse.actors.tests.import_helpers import RNA_HEADER, rna_line, run_import, write_file

    org.rna = "W623000001"
    org.save()
    visitor = Client()
    assert "Alliance d&#x27;essai" in visitor.get(carried.get_absolute_url()).content.decode()
    path = write_file(tmp_path, "rna_waldec_20240101_dpt_62.csv", [RNA_HEADER, rna_line("W623000001", "AMIS")])
    run = run_import(path, "rna")
    assert run.updated == 1
    assert "AMIS" in visitor.get(carried.get_absolute_url()).content.decode().upper()
