"""Pages of the syntheses: a group's synthesis (read, edit) and the event's synthesis (page, print, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError
from catalyse.core.pdf import pdf_response, render_pdf
from catalyse.events.models import Event

from .forms_synthesis import SynthesisForm
from .models import Board
from .models_synthesis import Synthesis
from .queries import references_of
from .queries_synthesis import board_synthesis, event_synthesis, event_synthesis_data
from .services_synthesis import synthesis_save


def board_synthesis_page(request, board: int):
    board = permissions.get_visible_or_404(request.user, Board.objects.select_related("event"), pk=board)
    group, can_edit = board_synthesis(request.user, board), permissions.can_edit(request.user, board)
    if group is None and not can_edit:
        raise Http404(_("Ce groupe n'a pas encore publié sa synthèse."))
    return render(request, "workshops/synthesis.html", {"board": board, "group": group, "can_edit": can_edit})


@login_required
def board_synthesis_edit(request, board: int):
    board = permissions.get_visible_or_404(request.user, Board.objects.select_related("event"), pk=board)
    synthesis = Synthesis.objects.filter(board=board).first()
    if synthesis is not None:  # a draft is not even named to those who may not see it: 404, not 403
        permissions.get_editable_or_404(request.user, Synthesis.objects.all(), pk=synthesis.pk)
    elif not permissions.can_edit(request.user, board):
        raise PermissionDenied(_("Seuls les animateurs de ce tableau écrivent sa synthèse."))
    form = SynthesisForm(request.POST or None, board=board, user=request.user, synthesis=synthesis)
    if request.method == "POST" and form.is_valid():
        try:
            synthesis_save(
                board=board,
                proposals=form.proposals,
                actor=request.user,
                question=form.cleaned_data["question"],
                publish=form.cleaned_data["publish"],
                expected_version=form.cleaned_data["version"] if synthesis else None,
            )
        except ConflictError:
            form.add_error(None, _("Quelqu'un a enregistré cette synthèse entre-temps : rechargez la page."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Synthèse enregistrée."))
            return redirect("syntheses:board", board=board.pk)
    letters = references_of(board)
    cards = [
        (f"{letters.get(column, '?')}{number}", text)
        for number, column, text in board.cards.filter(merged_into=None)
        .order_by("number")
        .values_list("number", "column_id", "text")
    ]
    return render(request, "workshops/synthesis_form.html", {"board": board, "form": form, "cards": cards})


def _event(request, slug: str) -> Event:
    return permissions.get_visible_or_404(request.user, Event.objects.all(), slug=slug)


def event_synthesis_page(request, slug: str):
    event = _event(request, slug)
    return render(
        request, "workshops/synthesis_event.html", {"event": event, "result": event_synthesis(request.user, event)}
    )


def event_synthesis_pdf(request, slug: str):
    event = _event(request, slug)
    result = event_synthesis(request.user, event)
    pdf = render_pdf(
        "workshops/typst/synthesis.typ",
        event_synthesis_data(result),
        title=_("Qu'avons-nous inventé ensemble ?"),
        subtitle=event.title,
        kind=_("Synthèse des ateliers"),
        fictitious=event.is_fictitious,
    )
    # Drafts or an unpublished event make the PDF someone's private copy.
    private = not event.is_published or any(not g.synthesis.is_published for g in result.groups)
    return pdf_response(pdf, name=f"synthese-{event.slug}", private=private)
