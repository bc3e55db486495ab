"""Syntheses: at most three proposals, the event's synthesis (proposals and most voted cards), who edits and
who reads, the printable page and the PDF."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalyse.core.concurrency import ConflictError
from catalyse.workshops import services
from catalyse.workshops.models_synthesis import Proposal, Synthesis
from catalyse.workshops.queries_synthesis import event_has_synthesis, event_synthesis
from catalyse.workshops.services_synthesis import ProposalInput, synthesis_save

from .synthesis_helpers import cards_with_votes, make_board, make_event, publish

pytestmark = pytest.mark.django_db

HOSTILE = '#panic("x") *gras* ] $x$ <script>alert(1)</script>'


@pytest.fixture
def event():
    return make_event()


@pytest.fixture
def facilitator(member):
    return member


@pytest.fixture
def board(event, facilitator):
    return make_board(event, "Groupe bleu", facilitator)


# ---- three proposals at most -------------------------------------------------------------------------------


def test_a_synthesis_keeps_up_to_three_proposals_in_order(board, facilitator):
    synthesis = publish(board, ["Voyager", "Partager", "Reconnaître"], facilitator)
    assert list(synthesis.proposals.values_list("position", "text")) == [
        (1, "Voyager"),
        (2, "Partager"),
        (3, "Reconnaître"),
    ]


def test_a_fourth_proposal_is_refused_and_nothing_is_saved(board, facilitator):
    with pytest.raises(ValidationError, match="au plus 3 propositions"):
        publish(board, ["a", "b", "c", "d"], facilitator)
    assert not Synthesis.objects.exists()


def test_the_database_holds_no_fourth_proposal_whatever_the_channel(board, facilitator):
    synthesis = publish(board, ["a"], facilitator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(synthesis=synthesis, position=4, text="d")


def test_saving_again_replaces_the_proposals(board, facilitator):
    first = publish(board, ["a", "b", "c"], facilitator)
    second = synthesis_save(
        board=board, actor=facilitator, proposals=[ProposalInput("z")], expected_version=first.version, publish=True
    )
    assert list(second.proposals.values_list("text", flat=True)) == ["z"]


def test_an_edit_from_an_old_version_is_refused(board, facilitator):
    seen = publish(board, ["a"], facilitator).version
    publish(board, ["b"], facilitator)  # a co-facilitator saves in between
    with pytest.raises(ConflictError):
        synthesis_save(board=board, actor=facilitator, proposals=[ProposalInput("c")], expected_version=seen)
    assert list(Proposal.objects.values_list("text", flat=True)) == ["b"]


def test_supporting_cards_come_from_the_board_itself(event, board, facilitator, animator):
    other = make_board(event, "Groupe rouge", animator)
    stranger = cards_with_votes(other, 0, [0])[0]
    with pytest.raises(ValidationError, match="autre tableau"):
        publish(board, ["a"], facilitator, cards=[stranger])


def test_an_empty_synthesis_cannot_be_published(board, facilitator):
    with pytest.raises(ValidationError, match="au moins une proposition"):
        publish(board, [], facilitator)


# ---- the event's synthesis ---------------------------------------------------------------------------------


def test_event_synthesis_gathers_groups_and_orders_cards_by_votes(event, facilitator, animator):
    blue, red = make_board(event, "Groupe bleu", facilitator), make_board(event, "Groupe rouge", facilitator)
    blue_cards = cards_with_votes(blue, 0, [1, 5, 0, 2, 3], prefix="Besoin")
    red_cards = cards_with_votes(red, 0, [4], prefix="Besoin")
    cards_with_votes(red, 1, [2], prefix="Pratique")
    publish(blue, ["Voyager"], facilitator, cards=[blue_cards[1]])
    publish(red, ["Plaider"], facilitator)

    result = event_synthesis(animator, event, top=3)

    assert [g.board.group_name for g in result.groups] == ["Groupe bleu", "Groupe rouge"]
    assert result.groups[0].proposals[0].cards == [{"reference": "A2", "text": "Besoin 1 de Groupe bleu", "votes": 5}]
    besoins, pratiques = result.top
    assert besoins.title == "Besoins"
    assert [(c["text"], c["votes"]) for c in besoins.cards] == [
        ("Besoin 1 de Groupe bleu", 5),
        ("Besoin 0 de Groupe rouge", 4),
        ("Besoin 4 de Groupe bleu", 3),
    ]
    assert [(c["reference"], c["group"]) for c in pratiques.cards] == [("B2", "Groupe rouge")]
    assert red_cards  # the red group's needs are counted with the blue group's


def test_cards_of_groups_without_a_published_synthesis_stay_out(event, facilitator):
    blue, red = make_board(event, "Groupe bleu", facilitator), make_board(event, "Groupe rouge", facilitator)
    cards_with_votes(blue, 0, [3])
    cards_with_votes(red, 0, [9], prefix="Brouillon")
    publish(blue, ["Voyager"], facilitator)
    publish(red, ["Caché"], facilitator, publish=False)

    from django.contrib.auth.models import AnonymousUser

    result = event_synthesis(AnonymousUser(), event)
    assert [g.board.group_name for g in result.groups] == ["Groupe bleu"]
    assert all("Brouillon" not in c["text"] for column in result.top for c in column.cards)


# ---- who edits, who reads ----------------------------------------------------------------------------------


def edit_url(board):
    return reverse("syntheses:edit", args=[board.pk])


def test_facilitator_writes_the_synthesis_through_the_form(client, board, facilitator):
    card = cards_with_votes(board, 1, [2])[0]
    client.force_login(facilitator)
    response = client.post(
        edit_url(board),
        {
            "question": "Qu'avons-nous inventé ensemble ?",
            "publish": "on",
            "text_1": "Se former ensemble",
            "cards_1": f"B{card.number}",
            "examples_1": "",
            "text_2": "",
            "cards_2": "",
            "examples_2": "",
            "text_3": "Plaider",
            "cards_3": "",
            "examples_3": "",
        },
    )
    assert response.status_code == 302
    synthesis = Synthesis.objects.get(board=board)
    assert synthesis.is_published
    assert [(p.position, p.text) for p in synthesis.proposals.all()] == [(1, "Se former ensemble"), (2, "Plaider")]
    assert list(synthesis.proposals.first().cards.all()) == [card]


def test_the_form_names_an_unknown_card_or_page_and_loses_nothing(client, board, facilitator):
    client.force_login(facilitator)
    response = client.post(
        edit_url(board),
        {
            "question": "Q",
            "text_1": "Proposition gardée",
            "cards_1": "C99",
            "examples_1": "https://ailleurs.example/rien/",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Références non reconnues (99)" in content and "Pages introuvables" in content
    assert "Proposition gardée" in content
    assert not Synthesis.objects.exists()


def test_examples_link_visible_initiatives_and_organisations(client, board, facilitator, org):
    from catalyse.initiatives.services import initiative_create

    initiative = initiative_create(title="Jardin partagé", summary="Réemploi", created_by=facilitator)
    client.force_login(facilitator)
    client.post(
        edit_url(board),
        {
            "question": "Q",
            "text_1": "Essaimer",
            "examples_1": f"http://testserver/initiatives/{initiative.slug}/\n/organisations/{org.slug}/",
        },
    )
    proposal = Proposal.objects.get()
    assert list(proposal.initiatives.all()) == [initiative]
    assert list(proposal.organisations.all()) == [org]


def test_the_form_refuses_a_merged_card_and_names_the_card_it_was_merged_into(client, board, facilitator):
    keep, twin = cards_with_votes(board, 1, [1, 2])
    services.cards_merge(keep=keep, merge=[twin])
    client.force_login(facilitator)
    assert f"B{twin.number}" not in client.get(edit_url(board)).content.decode()  # not offered

    data = {"question": "Q", "text_1": "Proposition gardée", "cards_1": f"b{twin.number}"}
    response = client.post(edit_url(board), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert f"La carte B{twin.number} a été fusionnée dans la carte B{keep.number}" in content
    assert "Proposition gardée" in content
    assert not Synthesis.objects.exists()


def test_a_supporting_card_merged_later_shows_as_the_card_that_absorbed_it(client, event, board, facilitator):
    keep, twin = cards_with_votes(board, 1, [1, 2], prefix="Besoin")
    publish(board, ["Se former"], facilitator, cards=[twin])
    services.cards_merge(keep=keep, merge=[twin])  # the card and its two +1s go to `keep`

    shown = [{"reference": f"B{keep.number}", "text": "Besoin 0 de Groupe bleu", "votes": 2}]
    assert event_synthesis(facilitator, event).groups[0].proposals[0].cards == shown
    assert "Besoin 1 de Groupe bleu" not in client.get(reverse("syntheses:event", args=[event.slug])).content.decode()
    client.force_login(facilitator)
    assert f'value="B{keep.number}"' in client.get(edit_url(board)).content.decode()  # saved again, it cites keep


def test_a_card_cited_with_the_card_it_was_merged_into_shows_once(event, board, facilitator):
    keep, twin = cards_with_votes(board, 0, [1, 1])
    publish(board, ["Se former"], facilitator, cards=[keep, twin])
    services.cards_merge(keep=keep, merge=[twin])
    assert [c["reference"] for c in event_synthesis(facilitator, event).groups[0].proposals[0].cards] == [
        f"A{keep.number}"
    ]


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_only_facilitators_and_animators_edit(client, board, who, outsider):
    if who == "outsider":
        client.force_login(outsider)
    response = client.get(edit_url(board))
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert client.post(edit_url(board), {"question": "Q", "text_1": "x"}).status_code in (302, 403)
    assert not Synthesis.objects.exists()


def test_animator_edits_any_synthesis(client, board, animator):
    client.force_login(animator)
    assert client.get(edit_url(board)).status_code == 200


def test_public_sees_published_syntheses_only(client, event, board, facilitator):
    publish(board, ["Proposition secrète"], facilitator, publish=False)
    page = reverse("syntheses:board", args=[board.pk])
    assert client.get(page).status_code == 404
    assert "Proposition secrète" not in client.get(reverse("syntheses:event", args=[event.slug])).content.decode()
    client.force_login(facilitator)
    assert "Proposition secrète" in client.get(page).content.decode()


def test_a_draft_event_hides_its_syntheses_even_published(client, facilitator):
    draft = make_event(slug="brouillon", published=False)
    board = make_board(draft, "Groupe", facilitator)
    publish(board, ["Proposition"], facilitator)
    assert client.get(reverse("syntheses:event", args=["brouillon"])).status_code == 404
    assert client.get(reverse("syntheses:event_pdf", args=["brouillon"])).status_code == 404
    assert client.get(reverse("syntheses:board", args=[board.pk])).status_code == 404


def test_private_examples_are_not_named_to_visitors(client, board, facilitator):
    from catalyse.initiatives.models import Visibility
    from catalyse.initiatives.services import initiative_create

    hidden = initiative_create(
        title="Alliance discrète", summary="x", created_by=facilitator, visibility=Visibility.MEMBERS
    )
    synthesis_save(
        board=board, actor=facilitator, publish=True, proposals=[ProposalInput("Essaimer", initiatives=[hidden])]
    )
    assert "Alliance discrète" not in client.get(reverse("syntheses:board", args=[board.pk])).content.decode()


# ---- the page and the PDF ----------------------------------------------------------------------------------


def test_event_synthesis_page_shows_proposals_and_links_the_pdf(client, event, board, facilitator):
    publish(board, ["Développer des voyages d'étude", HOSTILE], facilitator)
    content = client.get(reverse("syntheses:event", args=[event.slug])).content.decode()
    assert "Développer des voyages d" in content
    assert "<script>alert(1)</script>" not in content  # escaped
    assert reverse("syntheses:event_pdf", args=[event.slug]) in content


def test_event_synthesis_pdf_is_valid_and_holds_the_proposals(client, event, board, facilitator, pdf_text):
    cards = cards_with_votes(board, 0, [4], prefix="Besoin")
    publish(board, ["Développer des voyages d'étude", HOSTILE], facilitator, cards=cards)
    response = client.get(reverse("syntheses:event_pdf", args=[event.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="synthese-{event.slug}-')
    assert response["Cache-Control"] == "no-cache"  # everything in it is public
    text = pdf_text(b"".join(response.streaming_content))
    assert "Qu'avons-nous inventé ensemble ?" in text and "Rencontre d'essai" in text
    assert "Développer des voyages d'étude" in text and HOSTILE in text
    assert "Groupe bleu" in text and "Les cartes les plus soutenues" in text and "Besoin 0 de Groupe bleu" in text


def test_a_pdf_with_drafts_is_private(client, event, board, facilitator):
    publish(board, ["Brouillon"], facilitator, publish=False)
    client.force_login(facilitator)
    response = client.get(reverse("syntheses:event_pdf", args=[event.slug]))
    assert response["Cache-Control"] == "private, no-store"


def test_a_fictitious_event_says_so_in_its_pdf(client, facilitator, pdf_text):
    demo = make_event(slug="demo", is_fictitious=True)
    publish(make_board(demo, "Groupe", facilitator), ["Proposition"], facilitator)
    response = client.get(reverse("syntheses:event_pdf", args=["demo"]))
    assert "Valeurs fictives" in pdf_text(b"".join(response.streaming_content))


# ---- the API -----------------------------------------------------------------------------------------------


def test_api_gives_the_event_synthesis_visitors_may_see(client, event, facilitator):
    blue, red = make_board(event, "Groupe bleu", facilitator), make_board(event, "Groupe rouge", facilitator)
    cards = cards_with_votes(blue, 0, [2], prefix="Besoin")
    publish(blue, ["Voyager", "Partager"], facilitator, cards=cards)
    publish(red, ["Brouillon"], facilitator, publish=False)

    body = client.get(f"/api/v1/events/{event.slug}/synthesis").json()

    assert [g["group"] for g in body["groups"]] == ["Groupe bleu"]
    assert [p["text"] for p in body["groups"][0]["proposals"]] == ["Voyager", "Partager"]
    assert body["groups"][0]["proposals"][0]["cards"] == [
        {"reference": "A1", "text": "Besoin 0 de Groupe bleu", "votes": 2}
    ]
    assert body["top"][0]["cards"][0]["group"] == "Groupe bleu"
    assert client.get("/api/v1/events/inconnu/synthesis").status_code == 404


def test_the_event_page_links_its_synthesis_once_there_is_one_to_read(client, event, facilitator):
    links = (reverse("syntheses:event", args=[event.slug]), reverse("syntheses:event_pdf", args=[event.slug]))
    board = make_board(event, "Groupe bleu", facilitator)
    publish(board, ["Brouillon"], facilitator, publish=False)
    assert not any(link in client.get(event.get_absolute_url()).content.decode() for link in links)
    client.force_login(facilitator)  # the facilitators read their draft on the event's synthesis
    assert all(link in client.get(event.get_absolute_url()).content.decode() for link in links)
    client.logout()

    publish(board, ["Voyager"], facilitator)

    assert all(link in client.get(event.get_absolute_url()).content.decode() for link in links)


def test_whether_an_event_has_a_synthesis_to_read_takes_one_query(event, board, facilitator, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    publish(board, ["Voyager"], facilitator)
    with django_assert_num_queries(1):
        assert event_has_synthesis(AnonymousUser(), event)


def test_the_event_synthesis_says_nothing_is_published_yet(client, event, board, facilitator):
    page = reverse("syntheses:event", args=[event.slug])
    publish(board, ["Brouillon"], facilitator, publish=False)

    content = client.get(page).content.decode()

    assert "Aucune synthèse de groupe n'est encore publiée pour cet événement." in content
    assert reverse("syntheses:event_pdf", args=[event.slug]) not in content  # an empty PDF is not offered
    client.force_login(facilitator)
    content = client.get(page).content.decode()
    assert "Brouillon" in content and "Aucune synthèse de groupe n'est encore publiée" in content
