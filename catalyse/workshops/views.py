"""Pages of the workshop boards: `/rejoindre/` (the code), `/ateliers/<code>/` (the board), its forms, its
settings (`reglages/`), and `/ateliers/<code>/modifications/` which the board's script polls. Every form works
without JavaScript (post, then redirect); the script posts the same forms and asks for JSON (`Accept:
application/json`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalyse.core import permissions
from catalyse.core.forms import add_service_errors
from catalyse.core.middleware import client_ip

from . import queries, services, tokens
from .forms import BoardForm, BoardSettingsForm, CardForm, CodeForm, JoinForm, MergeForm, MoveForm
from .models import Board, Card
from .queries_synthesis import event_has_synthesis


def _board(code: str) -> Board:
    return get_object_or_404(Board, code=code.upper())


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(
    request: HttpRequest, board: Board, *, ok: str = "", error: str = "", status: int = 400, anchor: str = ""
) -> HttpResponse:
    """JSON for the board's script, else a message and a redirect to the board (post/redirect/get)."""
    if _wants_json(request):
        return JsonResponse({"detail": error or ok}, status=status if error else 200)
    (messages.error if error else messages.success)(request, error or ok)
    return redirect(reverse("workshops:board", args=[board.code]) + (f"#{anchor}" if anchor else ""))


def _refusal(error: ValidationError) -> tuple[str, int]:
    if isinstance(error, services.BoardClosed):
        return error.messages[0], 409
    return error.messages[0], 429 if isinstance(error, services.TooFast) else 400


def _facilitated(request: HttpRequest, code: str) -> Board:
    board = _board(code)
    if not permissions.can_edit(request.user, board):
        raise PermissionDenied(_("Réservé aux animateurs de ce tableau."))
    return board


def join(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        board = queries.board_by_code(form.cleaned_data["code"])
        if board is not None:
            return redirect("workshops:board", code=board.code)
        form.add_error("code", _("Aucun tableau n'a ce code : vérifiez-le auprès de l'animateur."))
    return render(request, "workshops/join.html", {"form": form})


@login_required
def board_new(request: HttpRequest) -> HttpResponse:
    """`?session=<id>` or `?evenement=<slug>` (the event page's links) preselect where the board belongs."""
    form = BoardForm(request.POST or None, events=queries.events_for_boards(request.user))
    form.prefill(request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Tableau créé : les participants le rejoignent avec le code %(code)s.") % {"code": board.code},
            )
            return redirect("workshops:board", code=board.code)
    return render(request, "workshops/board_form.html", {"form": form})


@login_required
def board_settings(request: HttpRequest, code: str) -> HttpResponse:
    board = _facilitated(request, code)
    form = BoardSettingsForm(
        request.POST or None,
        events=queries.events_for_boards(request.user, keep=board.event_id),
        initial={"title": board.title, "group_name": board.group_name, "event": board.event_id,
                 "session": board.session_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.board_update(board, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Réglages du tableau enregistrés."))
            return redirect("workshops:board", code=board.code)
    return render(request, "workshops/board_form.html", {"form": form, "board": board})


def _board_page(request: HttpRequest, board: Board, join_form: JoinForm, *, status: int = 200) -> HttpResponse:
    participant = tokens.from_cookie(request, board)
    # The board's event is linked for those who may see it (a draft's stays with its organisers), its
    # synthesis once there is one to read.
    event = board.event if board.event_id and permissions.can_view(request.user, board.event) else None
    return render(
        request,
        "workshops/board.html",
        {
            "view": queries.board_view(board, participant),
            "event": event,
            "event_synthesis": event is not None and event_has_synthesis(request.user, event),
            "participant": participant,
            "facilitator": permissions.can_edit(request.user, board),
            "join_form": join_form,
            "card_form": CardForm(),
        },
        status=status,
    )


@require_GET
def board_page(request: HttpRequest, code: str) -> HttpResponse:
    return _board_page(request, _board(code), JoinForm())


@require_POST
def board_join(request: HttpRequest, code: str) -> HttpResponse:
    """A refused join shows the board again with the form as typed and why (the script gets JSON)."""
    board = _board(code)
    form = JoinForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Indiquez votre nom ou vos initiales (40 caractères au plus)."))
        participant = services.participant_join(
            board=board, user=request.user, ip=client_ip(request) or "", **form.cleaned_data
        )
    except ValidationError as error:
        message, status = _refusal(error)
        if _wants_json(request):
            return _answer(request, board, error=message, status=status)
        messages.error(request, message)
        response = _board_page(request, board, form, status=status)
        if isinstance(error, services.TooFast):
            response["Retry-After"] = str(error.retry_after)
        return response
    response = _answer(
        request,
        board,
        ok=_("Bienvenue %(name)s : vous pouvez écrire des cartes et voter.") % {"name": participant.display_name},
    )
    tokens.remember(response, participant)
    return response


def _participant_write(request: HttpRequest, code: str, write) -> HttpResponse:
    board = _board(code)
    participant = tokens.from_cookie(request, board)
    if participant is None:
        return _answer(
            request,
            board,
            error=_("Rejoignez d'abord le tableau avec votre nom ou vos initiales."),
            status=403,
            anchor="rejoindre",
        )
    try:
        ok, anchor = write(board, participant)
    except ValidationError as error:
        message, status = _refusal(error)
        return _answer(request, board, error=message, status=status)
    return _answer(request, board, ok=ok, anchor=anchor)


@require_POST
def card_new(request: HttpRequest, code: str) -> HttpResponse:
    def write(board, participant):
        form = CardForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Écrivez le texte de la carte (500 caractères au plus)."))
        card = services.card_create(participant=participant, **form.cleaned_data)
        return _("Carte %(number)s ajoutée.") % {"number": card.number}, f"carte-{card.number}"

    return _participant_write(request, code, write)


@require_POST
def card_vote(request: HttpRequest, code: str, number: int) -> HttpResponse:
    def write(board, participant):
        card = get_object_or_404(Card, board=board, number=number)
        if request.POST.get("action") == "remove":
            services.vote_remove(participant=participant, card=card)
            return _("Vote retiré."), f"carte-{number}"
        counted = services.vote_add(participant=participant, card=card)
        return (_("Vote enregistré.") if counted else _("Vous aviez déjà voté pour cette carte.")), f"carte-{number}"

    return _participant_write(request, code, write)


def _facilitator_write(request: HttpRequest, code: str, write) -> HttpResponse:
    board = _facilitated(request, code)
    try:
        ok = write(board)
    except ValidationError as error:
        message, status = _refusal(error)
        return _answer(request, board, error=message, status=status)
    return _answer(request, board, ok=ok)


@require_POST
@login_required
def card_pin(request: HttpRequest, code: str, number: int) -> HttpResponse:
    def write(board):
        card = get_object_or_404(Card, board=board, number=number)
        services.card_pin(card, pinned=not card.pinned)
        return _("Carte épinglée.") if card.pinned else _("Carte désépinglée.")

    return _facilitator_write(request, code, write)


@require_POST
@login_required
def card_move(request: HttpRequest, code: str, number: int) -> HttpResponse:
    def write(board):
        form = MoveForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choisissez une colonne et une position valides."))
        card = get_object_or_404(Card, board=board, number=number)
        position = form.cleaned_data["position"]
        services.card_move(card, column=form.cleaned_data["column"], position=position - 1 if position else None)
        return _("Carte déplacée.")

    return _facilitator_write(request, code, write)


@require_POST
@login_required
def cards_merge(request: HttpRequest, code: str) -> HttpResponse:
    def write(board):
        form = MergeForm(request.POST, board=board)
        if not form.is_valid():
            raise ValidationError(" ".join(error for errors in form.errors.values() for error in errors))
        keep = services.cards_merge(keep=form.cleaned_data["keep"], merge=[form.cleaned_data["merge"]])
        reference = queries.card_reference(keep, queries.references_of(board))
        return _("Cartes fusionnées : votes et auteurs réunis sur la carte %(reference)s.") % {"reference": reference}

    return _facilitator_write(request, code, write)


@require_POST
@login_required
def board_close(request: HttpRequest, code: str) -> HttpResponse:
    def write(board):
        reopen = request.POST.get("action") == "reopen"
        services.board_close(board, reopen=reopen)
        return _("Tableau rouvert.") if reopen else _("Tableau clos : il n'accepte plus de cartes ni de votes.")

    return _facilitator_write(request, code, write)


@require_GET
def board_changes(request: HttpRequest, code: str) -> JsonResponse:
    """What the board's script asks every few seconds: the cards changed since `since`, rendered."""
    try:
        since = max(0, int(request.GET.get("since", "0")))
    except ValueError:
        return JsonResponse({"detail": _("« since » doit être un nombre entier.")}, status=400)
    state = queries.board_state(code)
    if state is None:
        raise Http404
    if since >= state.version:
        return JsonResponse({"version": state.version, "status": state.status, "columns": [], "cards": []})
    board = _board(code)
    participant = tokens.from_cookie(request, board)
    changes = queries.board_changes(state, since, participant)  # the version just read: not read again
    context = {
        "participant": participant,
        "facilitator": permissions.can_edit(request.user, board),
        "columns": changes.columns,
        "board": board,
    }
    return JsonResponse(
        {
            "version": changes.version,
            "status": changes.status,
            "columns": [{"id": c.pk, "title": c.title, "letter": c.letter} for c in changes.columns],
            "cards": [
                {
                    "number": c.number,
                    "reference": c.reference,
                    "column": c.column_id,
                    "merged": c.merged_into is not None,
                    "text": c.text,
                    "html": ""
                    if c.merged_into is not None
                    else render_to_string("workshops/card.html", {**context, "card": c}, request=request),
                }
                for c in changes.cards
            ],
        }
    )
