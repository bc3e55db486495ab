import pytest
from django.urls import reverse

from catalyse.actors.models import Membership, MembershipRole, Organisation, PublicationStatus
from catalyse.actors.services import organisation_update

pytestmark = pytest.mark.django_db
CREATE = reverse("actors:create")


def edit_url(org) -> str:
    return reverse("actors:edit", args=[org.slug])


def form_data(**overrides) -> dict:
    data = {
        "name": "Tiers-lieu des Possibles", "profile": "interet_general", "scope": "local",
        "head_office": "commune:62528", "head_office_label": "Loos-en-Gohelle (62)",
        "trades": ["gestion-lieu"], "competences": ["coworking", "fablab"], "territories": ["departement:62"],
        "description": "Un **lieu** partagé.", "website": "https://possibles.exemple.fr",
        "email": "contact@possibles.exemple.fr", "siren": "", "siret": "", "rna": "",
    }
    data.update(overrides)
    return data


def edit_data(org, **overrides) -> dict:
    return form_data(**{"name": org.name, "version": org.version, **overrides})


@pytest.mark.parametrize(("latitude", "longitude"), [("999", "2.8"), ("50.4", "1e308"), ("-91", "0"), ("0", "181")])
def test_the_form_refuses_coordinates_out_of_range(client, outsider, latitude, longitude):
    client.force_login(outsider)
    response = client.post(CREATE, form_data(latitude=latitude, longitude=longitude))
    assert response.status_code == 200 and "hors limites" in response.content.decode()
    assert not Organisation.objects.filter(name="Tiers-lieu des Possibles").exists()


def test_the_form_accepts_coordinates_at_the_limits(client, outsider):
    client.force_login(outsider)
    client.post(CREATE, form_data(latitude="-90", longitude="180"))
    org = Organisation.objects.get(name="Tiers-lieu des Possibles")
    assert (org.latitude, org.longitude) == (-90, 180)


# ---- who may create and edit ----------------------------------------------------------------------------------

def test_visitors_are_sent_to_sign_in_before_proposing_or_editing(client, org):
    assert client.get(CREATE).status_code == 302
    assert client.get(edit_url(org)).status_code == 302
    assert client.post(CREATE, form_data()).status_code == 302
    assert not Organisation.objects.filter(name="Tiers-lieu des Possibles").exists()


def test_a_member_proposal_waits_for_moderation_and_its_author_becomes_editor(client, outsider):
    client.force_login(outsider)
    response = client.post(CREATE, form_data(), follow=True)
    org = Organisation.objects.get(name="Tiers-lieu des Possibles")
    assert org.status == PublicationStatus.PENDING
    assert Membership.objects.filter(user=outsider, organisation=org, role=MembershipRole.EDITOR).exists()
    assert "publiée après vérification" in response.content.decode()
    assert response.redirect_chain[-1][0] == org.get_absolute_url()
    assert client.get(edit_url(org)).status_code == 200


def test_an_animator_creation_is_published_at_once(client, animator):
    client.force_login(animator)
    client.post(CREATE, form_data(is_catalyst="on", joined_on="2024-05-01"))
    org = Organisation.objects.get(name="Tiers-lieu des Possibles")
    assert org.status == PublicationStatus.PUBLISHED and org.is_catalyst and str(org.joined_on) == "2024-05-01"
    assert not org.memberships.exists()


def test_creation_stores_trades_competences_head_office_and_territories(client, outsider):
    client.force_login(outsider)
    client.post(CREATE, form_data())
    org = Organisation.objects.get(name="Tiers-lieu des Possibles")
    assert [t.code for t in org.trades.all()] == ["gestion-lieu"]
    assert sorted(c.code for c in org.competences.all()) == ["coworking", "fablab"]
    assert org.head_office.code == "62528" and org.departement.code == "62"
    assert [t.name for t in org.territories.all()] == ["Pas-de-Calais"]
    assert org.created_by == outsider


def test_owner_and_animator_edit_members_and_outsiders_cannot(client, org, owner, member, outsider, animator):
    for user, status in ((owner, 200), (animator, 200), (member, 403), (outsider, 403)):
        client.force_login(user)
        assert client.get(edit_url(org)).status_code == status, user
    client.force_login(member)
    assert client.post(edit_url(org), edit_data(org, description="Piraté")).status_code == 403
    org.refresh_from_db()
    assert org.description != "Piraté"


def test_an_unpublished_organisation_is_not_found_by_outsiders_trying_to_edit_it(client, org, outsider):
    org.status = PublicationStatus.PENDING
    org.save()
    client.force_login(outsider)
    assert client.get(edit_url(org)).status_code == 404


def test_owner_saves_changes(client, org, owner):
    client.force_login(owner)
    response = client.post(edit_url(org), edit_data(org, description="Nouvelle présentation"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description == "Nouvelle présentation" and org.version == 2
    assert [t.code for t in org.trades.all()] == ["gestion-lieu"]


def test_edit_form_starts_from_the_stored_values(client, org, owner):
    org.description = "Texte existant"
    org.save()
    client.force_login(owner)
    html = client.get(edit_url(org)).content.decode()
    assert "Texte existant" in html
    assert 'value="Loos-en-Gohelle (62)"' in html and 'value="commune:62528"' in html
    assert f'name="version" value="{org.version}"' in html


def test_only_animators_decide_who_is_a_catalyst(client, org, owner):
    org.is_catalyst = False
    org.save()
    client.force_login(owner)
    assert 'name="is_catalyst"' not in client.get(edit_url(org)).content.decode()
    client.post(edit_url(org), edit_data(org, is_catalyst="on", joined_on="2020-01-01"))
    org.refresh_from_db()
    assert not org.is_catalyst and org.joined_on is None


# ---- validation -----------------------------------------------------------------------------------------------

def test_identifiers_typed_with_spaces_are_stored_bare(client, outsider):
    client.force_login(outsider)
    client.post(CREATE, form_data(siren="732 829 320", siret="732 829 320 00074", rna="w623 000 123"))
    org = Organisation.objects.get(name="Tiers-lieu des Possibles")
    assert (org.siren, org.siret, org.rna) == ("732829320", "73282932000074", "W623000123")


def test_invalid_identifier_is_explained_and_nothing_is_saved(client, outsider):
    client.force_login(outsider)
    response = client.post(CREATE, form_data(siren="123 456 789", name="Mauvais SIREN"))
    assert response.status_code == 200
    assert "SIREN invalide" in response.content.decode()
    assert not Organisation.objects.filter(name="Mauvais SIREN").exists()


def test_a_siret_already_used_is_refused(client, org, outsider):
    org.siret = "73282932000074"
    org.save()
    client.force_login(outsider)
    response = client.post(CREATE, form_data(siret="73282932000074"))
    assert "SIRET" in response.content.decode() and response.status_code == 200
    assert Organisation.objects.filter(siret="73282932000074").count() == 1


def test_without_javascript_typed_commune_and_territory_names_are_looked_up(client, outsider):
    client.force_login(outsider)
    client.post(CREATE, form_data(head_office="", head_office_label="62750", territories=[],
                                  territories_add="Hauts-de-France"))
    org = Organisation.objects.get(name="Tiers-lieu des Possibles")
    assert org.head_office.name == "Loos-en-Gohelle"
    assert [t.name for t in org.territories.all()] == ["Hauts-de-France"]


def test_a_typed_name_replaces_a_stale_chosen_commune(client, org, owner):
    client.force_login(owner)
    client.post(edit_url(org), edit_data(org, head_office="commune:62528", head_office_label="Arras"))
    org.refresh_from_db()
    assert org.head_office.name == "Arras"


def test_clearing_the_commune_name_removes_the_head_office(client, org, owner):
    client.force_login(owner)
    client.post(edit_url(org), edit_data(org, head_office="commune:62528", head_office_label=""))
    org.refresh_from_db()
    assert org.head_office is None and org.region is None


def test_unknown_commune_or_territory_is_reported(client, outsider):
    client.force_login(outsider)
    html = client.post(CREATE, form_data(head_office="", head_office_label="Zzyzx-sur-Mer",
                                         territories=["region:xx"], territories_add="Qqqqq")).content.decode()
    assert "Aucune commune ne correspond à « Zzyzx-sur-Mer »" in html
    assert "Territoire inconnu : region:xx" in html
    assert "Aucun territoire ne correspond à « Qqqqq »" in html


def test_preview_renders_the_description_without_saving(client, outsider):
    client.force_login(outsider)
    response = client.post(CREATE, form_data(apercu="1", description="**Gras** <script>alert(1)</script>"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Gras</strong>" in html and "<script>alert(1)" not in html
    assert "Tiers-lieu des Possibles" in html  # the input is kept
    assert not Organisation.objects.filter(name="Tiers-lieu des Possibles").exists()


def test_form_is_accessible_and_needs_no_inline_script(client, outsider):
    client.force_login(outsider)
    html = client.get(CREATE).content.decode()
    assert html.count("<fieldset") == html.count("<legend")
    assert "<script>" not in html and " style=" not in html
    assert 'data-autocomplete-target="id_head_office"' in html and 'data-autocomplete-level="commune"' in html


# ---- concurrent edits -----------------------------------------------------------------------------------------

def test_concurrent_edit_shows_both_versions_and_keeps_the_input(client, org, owner):
    client.force_login(owner)
    started_from = org.version
    organisation_update(Organisation.objects.get(pk=org.pk), description="Version de ma collègue")
    response = client.post(edit_url(org), edit_data(org, version=started_from, description="Ma version"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Version de ma collègue" in html and "Ma version" in html
    assert f'name="version" value="{started_from + 1}"' in html
    org.refresh_from_db()
    assert org.description == "Version de ma collègue"

    client.post(edit_url(org), edit_data(org, version=started_from + 1, description="Ma version"))
    org.refresh_from_db()
    assert org.description == "Ma version"


@pytest.mark.parametrize("version", ["", None], ids=["empty", "absent"])
def test_an_edit_that_does_not_say_its_version_gets_the_conflict_page(client, org, owner, version):
    client.force_login(owner)
    organisation_update(Organisation.objects.get(pk=org.pk), description="Version de ma collègue")
    data = edit_data(org, description="Ma version")
    data.pop("version")
    if version is not None:
        data["version"] = version
    response = client.post(edit_url(org), data)
    assert response.status_code == 409
    assert "Ma version" in response.content.decode()
    org.refresh_from_db()
    assert org.description == "Version de ma collègue"


def test_an_organisation_called_nouvelle_does_not_hide_the_creation_form(client, animator):
    client.force_login(animator)
    client.post(CREATE, form_data(name="Nouvelle"))
    org = Organisation.objects.get(name="Nouvelle")
    assert org.slug != "nouvelle"
    assert client.get(org.get_absolute_url()).status_code == 200
    assert client.get(CREATE).context["form"] is not None


def test_a_checkbox_has_its_label_beside_it_and_no_blank_choice_is_preselected(client, animator):
    client.force_login(animator)
    html = client.get(CREATE).content.decode()
    box = html.index('id="id_is_catalyst"')
    label = html.index('for="id_is_catalyst"')
    assert 0 < label - box < 200  # the label follows its box, on the same line
    assert "---------" not in html
    assert 'type="radio" name="profile"' in html and 'name="profile" value="" ' not in html
