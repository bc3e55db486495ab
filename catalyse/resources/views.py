"""/ressources/: the library, a resource, a collection, the toolbox; forms for those who may publish."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError, form_on_stored_version
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative

from . import queries, services
from .forms import CollectionForm, ResourceForm, ToolForm
from .models import Collection, Resource, Tool
from .permissions import can_add_tool, can_manage_collections

PER_PAGE = 20


def _toggle(query, param: str, code: str) -> str:
    """The address choosing `code` for `param`, or removing it when already chosen (back to page 1)."""
    query = query.copy()
    query.pop("page", None)
    if query.get(param) == code:
        query.pop(param)
    else:
        query[param] = code
    return "?" + query.urlencode()


def library(request):
    filters = queries.LibraryFilters.from_query(request.GET)
    found = queries.library(request.user, filters)
    for param, values in found.facets.items():
        for value in values:
            value.url = _toggle(request.GET, param, value.code)
    page = Paginator(found.resources, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "resources/library.html",
        {
            "page": page,
            "filters": filters,
            "facets": found.facets,
            "collections": Collection.objects.all(),
            "can_manage_collections": can_manage_collections(request.user),
        },
    )


def detail(request, pk: int):
    resource = permissions.get_visible_or_404(
        request.user, Resource.objects.select_related("owner_organisation", "owner_initiative", "owner_event"), pk=pk
    )
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "can_edit": permissions.can_edit(request.user, resource),
            "initiatives": permissions.visible_queryset(request.user, resource.initiatives.all()),
            "events": permissions.visible_queryset(request.user, resource.events.all()),
            "authors": resource.author_organisations.all(),
        },
    )


def collection(request, slug: str):
    found = get_object_or_404(Collection, slug=slug)
    page = Paginator(queries.collection_resources(request.user, found), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "resources/collection.html", {
        "collection": found, "page": page, "can_edit": can_manage_collections(request.user),
    })


def _collection_manager(request) -> None:
    if not can_manage_collections(request.user):
        raise PermissionDenied(_("Les collections sont tenues par l'équipe d'animation du réseau."))


@login_required
def collection_create(request):
    _collection_manager(request)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = services.collection_create(author=request.user, **form.cleaned_data)
        messages.success(request, _("Collection créée : ajoutez-y des ressources depuis leur formulaire."))
        return redirect(saved)
    return render(request, "resources/collection_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def collection_edit(request, slug: str):
    _collection_manager(request)
    found = get_object_or_404(Collection, slug=slug)
    form = CollectionForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        # A fresh copy: validating the form already changed `found`, the audit compares with the database.
        services.collection_update(Collection.objects.get(pk=found.pk), author=request.user, **form.cleaned_data)
        messages.success(request, _("Collection enregistrée."))
        return redirect(found)
    return render(request, "resources/collection_form.html", {"form": form, "collection": found},
                  status=400 if form.errors else 200)


def _save(request, form: ResourceForm, resource: Resource | None):
    try:
        if resource is None:
            saved = services.resource_create(author=request.user, **form.owner_kwargs(), **form.service_kwargs())
        else:
            # A fresh copy: validating the form already changed `resource`, the audit compares with the database.
            saved = services.resource_update(
                Resource.objects.get(pk=resource.pk), author=request.user, **form.service_kwargs()
            )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _("Ressource enregistrée."))
    return redirect(saved)


def _initial_owner(query) -> str:
    """`?initiative=<slug>` or `?evenement=<slug>` preselects that owner (if the person may publish for it: the
    form offers only those)."""
    if slug := query.get("initiative", ""):
        initiative = Initiative.objects.filter(slug=slug).first()
        return f"initiative:{initiative.pk}" if initiative else ""
    if slug := query.get("evenement", ""):
        event = Event.objects.filter(slug=slug).first()
        return f"event:{event.pk}" if event else ""
    return ""


@login_required
def create(request):
    form = ResourceForm(
        request.POST or None, request.FILES or None, user=request.user, initial_owner=_initial_owner(request.GET)
    )
    if not form.fields["owner"].choices:
        raise PermissionDenied(
            _(
                "Publier une ressource est réservé aux éditeurs d'une organisation, "
                "aux partenaires d'une initiative et à l'équipe d'animation."
            )
        )
    if request.method == "POST" and form.is_valid() and (response := _save(request, form, None)):
        return response
    return render(request, "resources/form.html", {"form": form})


@login_required
def edit(request, pk: int):
    resource = permissions.get_editable_or_404(request.user, Resource.objects.all(), pk=pk)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource, user=request.user)
    if request.method == "POST" and form.is_valid() and (response := _save(request, form, resource)):
        return response
    return render(request, "resources/form.html", {"form": form, "resource": resource})


@login_required
@require_POST
def delete(request, pk: int):
    resource = permissions.get_deletable_or_404(request.user, Resource.objects.all(), pk=pk)
    services.resource_delete(resource, author=request.user)
    messages.success(request, _("Ressource supprimée."))
    return redirect("resources:list")


def toolbox(request):
    return render(
        request,
        "resources/toolbox.html",
        {"families": queries.toolbox(), "can_add": can_add_tool(request.user)},
    )


def tool(request, slug: str):
    found = get_object_or_404(Tool.objects.select_related("provider"), slug=slug)
    return render(request, "resources/tool.html", {
        "tool": found,
        "can_edit": permissions.can_edit(request.user, found),
        "can_delete": permissions.can_delete(request.user, found),
    })


def _tool_form_page(request, form: ToolForm, found: Tool | None, *, status: int | None = None, **context):
    can_delete = found is not None and permissions.can_delete(request.user, found)
    context |= {"form": form, "tool": found, "can_delete": can_delete}
    return render(request, "resources/tool_form.html", context, status=status or (400 if form.errors else 200))


@login_required
def tool_create(request):
    if not can_add_tool(request.user):
        raise PermissionDenied(_("Ajouter un service à la boîte à outils est réservé à l'équipe d'animation."))
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.tool_create(author=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Service enregistré."))
            return redirect(saved)
    return _tool_form_page(request, form, None)


@login_required
def tool_edit(request, slug: str):
    found = permissions.get_editable_or_404(request.user, Tool.objects.all(), slug=slug)
    form = ToolForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: validating the form already changed `found`, the audit compares with the database.
            services.tool_update(Tool.objects.get(pk=found.pk), author=request.user,
                                 expected_version=form.cleaned_data["version"], **form.service_kwargs())
        except ConflictError as conflict:
            return _tool_conflict(request, form, conflict)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Service enregistré."))
            return redirect(found)
    return _tool_form_page(request, form, found)


def _tool_conflict(request, form: ToolForm, conflict: ConflictError):
    """Someone saved the service in between: the form again (409) with what this person typed, and the stored
    values beside it."""
    stored = conflict.current
    return _tool_form_page(request, form_on_stored_version(form, conflict), stored, status=409,
                           differences=form.differences(stored), conflict=True)


@login_required
def tool_delete(request, slug: str):
    found = permissions.get_deletable_or_404(request.user, Tool.objects.all(), slug=slug)
    if request.method == "POST":
        services.tool_delete(found, author=request.user)
        messages.success(request, _("Le service « %(name)s » est retiré de la boîte à outils.") % {"name": found.name})
        return redirect("resources:toolbox")
    return render(request, "resources/tool_delete.html", {"tool": found})
