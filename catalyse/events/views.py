from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError, form_on_stored_version
from catalyse.core.exports import jsonld_script, write_csv
from catalyse.core.forms import add_service_errors, more_rows
from catalyse.territories.keys import territory_from_key
from catalyse.workshops.queries_synthesis import event_has_synthesis

from . import queries, services
from .exports import REGISTRATION_COLUMNS, event_jsonld
from .forms import EventFilterForm, EventForm, PublicNameForm, RegistrationForm
from .ical import ics_response
from .links import registration_by_token
from .models import Event, Registration, RegistrationStatus
from .permissions import can_create_event, is_organiser


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, regions=queries.event_regions())
    filters = queries.EventFilters()
    if form.is_valid():
        filters.kind = form.cleaned_data["type"]
        filters.territory = territory_from_key(form.cleaned_data["territoire"])
    upcoming, past = queries.events_list(request.user, filters)
    return render(
        request,
        "events/list.html",
        {"form": form, "upcoming": upcoming, "past": past, "can_create": can_create_event(request.user)},
    )


def _event(request: HttpRequest, slug: str) -> Event:
    return permissions.get_visible_or_404(request.user, queries.events_visible_to(request.user), slug=slug)


def _detail_page(request: HttpRequest, event: Event, form: RegistrationForm, *, status: int = 200) -> HttpResponse:
    sessions = queries.programme(event)
    organiser = is_organiser(request.user, event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "sessions": sessions,
            "boards": queries.boards_outside_programme(event),
            "places": queries.places(event),
            "form": form,
            "mine": queries.registration_of(request.user, event),
            "participants": queries.public_participants(event),
            "registrations": queries.all_registrations(event) if organiser else None,
            "is_organiser": organiser,
            "resources": queries.event_resources(request.user, event),
            "has_synthesis": event_has_synthesis(request.user, event),
            "jsonld": jsonld_script(event_jsonld(event, sessions, request)),
        },
        status=status,
    )


def _initial(user) -> dict:
    return {"name": user.get_full_name() or user.display_name, "email": user.email} if user.is_authenticated else {}


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    return _detail_page(request, event, RegistrationForm(event=event, initial=_initial(request.user)))


def _registered_message(request: HttpRequest, registration: Registration | None) -> None:
    """What the page says once the form is accepted. Only the owner of an account registering its own address
    learns their status here; anyone else reads the same words whether the address was registered before or
    not (the e-mail tells its owner), so the form reveals nobody's registration."""
    own = registration is not None and request.user.is_authenticated and (
        registration.email.lower() == request.user.email.lower()
    )
    if not own:
        messages.success(request, _(
            "Merci. Un courriel part vers l'adresse indiquée : il confirme l'inscription, ou la place sur la liste "
            "d'attente, et donne le lien pour la gérer. Si cette adresse était déjà inscrite, il rappelle ce lien."))
    elif registration.status == RegistrationStatus.WAITING:
        messages.info(request, _(
            "L'événement est complet : vous êtes sur la liste d'attente. Vous aurez une place dès qu'une personne "
            "se désistera."))
    else:
        messages.success(request, _("Votre inscription est confirmée."))


@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        try:
            registration = services.registration_create(
                event=event, user=request.user, request=request, **form.cleaned_data
            )
        except services.AlreadyRegistered:
            registration = None  # its owner gets a reminder by e-mail; the page says what it says to anyone
        except ValidationError as error:
            form.add_error(None, error)
            throttled = getattr(error, "code", None) == "throttled"
            return _detail_page(request, event, form, status=429 if throttled else 400)
        _registered_message(request, registration)
        return redirect(event)
    return _detail_page(request, event, form, status=400)


def _private(response: HttpResponse) -> HttpResponse:
    """A page opened by a personal link: kept out of caches and search engines. (The site's referrer policy,
    same-origin, already keeps the link from other sites; "no-referrer" would make browsers send "Origin: null"
    with the page's forms, which the CSRF check refuses.)"""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _link_action(request: HttpRequest, registration: Registration) -> str:
    if request.POST.get("action") == "annuler":
        services.registration_cancel(registration)
        return _("Votre inscription est annulée.")
    form = PublicNameForm(request.POST)
    shown = form.is_valid() and form.cleaned_data["public_name"]
    services.registration_public_name_set(registration, public_name=shown)
    if shown:
        return _("Votre nom paraît dans la liste publique des participants.")
    return _("Votre nom ne paraît pas dans la liste publique des participants.")


@require_http_methods(["GET", "POST"])
def registration_by_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A person's own registration, opened by the link of their e-mails, no account needed: its status, the
    choice to show their name, cancelling. Every bad link gets the same 404, which tells nothing."""
    registration = registration_by_token(slug, token)
    if registration is None:
        return _private(render(request, "events/registration_link_invalid.html", status=404))
    if request.method == "POST":
        try:
            messages.success(request, _link_action(request, registration))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return _private(redirect(request.path))
    context = {
        "registration": registration,
        "event": registration.event,
        "rank": queries.waiting_rank(registration) if registration.status == RegistrationStatus.WAITING else None,
        "form": PublicNameForm(initial={"public_name": registration.public_name}),
    }
    return _private(render(request, "events/registration_link.html", context))


@require_POST
def registration_manage(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Organisers cancel registrations and record attendance; a signed-in person cancels their own."""
    event = _event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    action = request.POST.get("action")
    own = request.user.is_authenticated and registration.pk == getattr(
        queries.registration_of(request.user, event), "pk", None
    )
    if not (is_organiser(request.user, event) or (own and action == "annuler")):
        raise PermissionDenied(_("Réservé aux organisateurs de l'événement."))
    try:
        if action == "annuler":
            services.registration_cancel(registration, actor=request.user)
            messages.success(request, _("L'inscription est annulée."))
        elif action in ("present", "absent"):
            services.attendance_mark(registration, attended=action == "present", actor=request.user)
        else:
            return HttpResponse(_("Action inconnue."), status=400, content_type="text/plain; charset=utf-8")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(event.get_absolute_url() + ("#inscriptions" if not own else ""))


def registrations_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    event = _event(request, slug)
    if not is_organiser(request.user, event):
        raise PermissionDenied(_("Réservé aux organisateurs de l'événement."))
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in write_csv(REGISTRATION_COLUMNS, queries.all_registrations(event).iterator())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{event.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def group_lists(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmed participants per workshop group with their organisation, to print as sign-in sheets."""
    event = _event(request, slug)
    if not is_organiser(request.user, event):
        raise PermissionDenied(_("Réservé aux organisateurs de l'événement."))
    response = render(request, "events/groups.html", {"event": event, "groups": queries.group_lists(event)})
    response["Cache-Control"] = "private, no-store"
    return response


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    return ics_response(request, [event], name=event.title, filename=f"{event.slug}.ics")


def calendar_feed(request: HttpRequest) -> HttpResponse:
    return ics_response(
        request, queries.published_events(), name=_("Catalyse — événements du réseau"), filename="calendrier.ics"
    )


# Creating and editing (organisers) ---------------------------------------------------------------------------------


def _form_page(request: HttpRequest, form: EventForm, event: Event | None, *, status: int = 200) -> HttpResponse:
    return render(request, "events/form.html", {"form": form, "event": event}, status=status)


def _save(request: HttpRequest, form: EventForm, event: Event | None, write, done: str) -> HttpResponse:
    """Validate, write through the service and go to the event; else the form again with what was typed (409
    on a concurrent edit, the input kept on the stored version)."""
    if request.method == "POST" and not more_rows(request) and form.is_valid():
        try:
            saved = write(form.service_kwargs())
        except ConflictError as conflict:
            again = form_on_stored_version(form, conflict, error=_(
                "Quelqu'un a modifié cet événement pendant que vous le modifiiez. Vos saisies sont conservées "
                "ci-dessous : comparez avec la page de l'événement, puis enregistrez à nouveau."))
            return _form_page(request, again, event, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(saved)
    return _form_page(request, form, event, status=400 if form.errors else 200)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not can_create_event(request.user):
        raise PermissionDenied(_("Créer un événement est réservé à l'équipe d'animation du réseau."))
    form = EventForm(request.POST or None, more=more_rows(request))
    return _save(
        request, form, None, lambda data: services.event_create(created_by=request.user, **data),
        _("Événement enregistré."),
    )


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if not is_organiser(request.user, event):
        raise PermissionDenied(_("Réservé aux organisateurs de l'événement."))
    form = EventForm(request.POST or None, instance=event, more=more_rows(request))
    # A fresh copy: validating the form already changed `event`, the audit compares with the database.
    return _save(
        request, form, event,
        lambda data: services.event_update(Event.objects.get(pk=event.pk), actor=request.user,
                                           expected_version=form.cleaned_data["version"], **data),
        _("Modifications enregistrées."),
    )
