"""The forms a newcomer fills pre-select no blank "---------" choice."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/initiatives/nouvelle/", "/initiatives/{slug}/fiches/nouvelle/",
                                  "/ressources/ajouter/?initiative={slug}", "/organisations/nouvelle/"])
def test_no_blank_dash_choice_is_offered(client, animator, carried, path):
    client.force_login(animator)
    response = client.get(path.format(slug=carried.slug))
    assert response.status_code == 200
    assert "---------" not in response.content.decode()
