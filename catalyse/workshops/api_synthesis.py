"""The synthesis of an event in the API: `GET /api/v1/events/{slug}/synthesis` — the groups' proposals the
caller may see and the most voted cards of their boards, as on the page (docs/syntheses.md)."""

from django.http import HttpRequest
from ninja import Router, Schema

from catalyse.core import permissions
from catalyse.events.models import Event

from .queries_synthesis import GroupSynthesis, event_synthesis

router = Router(tags=["ateliers"])


class SynthesisSupportingCardOut(Schema):
    reference: str
    text: str
    votes: int


class SynthesisExampleOut(Schema):
    kind: str  # "initiative" or "organisation"
    title: str
    url: str


class SynthesisProposalOut(Schema):
    position: int
    text: str
    cards: list[SynthesisSupportingCardOut]
    examples: list[SynthesisExampleOut]


class SynthesisGroupOut(Schema):
    group: str
    subject: str
    question: str
    published: bool
    url: str
    proposals: list[SynthesisProposalOut]


class SynthesisTopCardOut(SynthesisSupportingCardOut):
    group: str


class SynthesisTopColumnOut(Schema):
    title: str
    cards: list[SynthesisTopCardOut]


class EventSynthesisOut(Schema):
    event: str
    groups: list[SynthesisGroupOut]
    top: list[SynthesisTopColumnOut]


def _group(group: GroupSynthesis) -> dict:
    return {
        "group": group.board.group_name or group.board.title,
        "subject": group.board.title,
        "question": group.synthesis.question,
        "published": group.synthesis.is_published,
        "url": group.synthesis.get_absolute_url(),
        "proposals": [
            {
                "position": p.position,
                "text": p.text,
                "cards": p.cards,
                "examples": [
                    *({"kind": "initiative", "title": i.title, "url": i.get_absolute_url()} for i in p.initiatives),
                    *({"kind": "organisation", "title": o.name, "url": o.get_absolute_url()} for o in p.organisations),
                ],
            }
            for p in group.proposals
        ],
    }


@router.get("/{slug}/synthesis", response=EventSynthesisOut, summary="Synthèse des ateliers d'un événement")
def event_synthesis_read(request: HttpRequest, slug: str):
    event = permissions.get_visible_or_404(request.user, Event.objects.all(), slug=slug)
    result = event_synthesis(request.user, event)
    return {
        "event": event.slug,
        "groups": [_group(group) for group in result.groups],
        "top": [{"title": column.title, "cards": column.cards} for column in result.top],
    }
