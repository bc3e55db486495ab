"""Animators' pages for duplicates: the likely pairs, "not a duplicate", merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalyse.core import permissions

from .duplicate_detection import duplicate_pairs
from .forms import MergeForm
from .models import Organisation
from .services import duplicate_dismiss, organisation_merge


def _organisation(params, key: str) -> Organisation:
    value = params.get(key, "")
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Organisation, pk=int(value))


@permissions.animator_required
def duplicates(request):
    departement = request.GET.get("departement", "").strip().upper()[:3]
    pairs = duplicate_pairs(departement=departement, limit=100)
    return render(request, "actors/duplicates.html", {"pairs": pairs, "departement": departement})


@permissions.animator_required
@require_POST
def duplicate_not_same(request):
    first, second = _organisation(request.POST, "first"), _organisation(request.POST, "second")
    duplicate_dismiss(first=first, second=second, dismissed_by=request.user)
    messages.success(request, _("Ces deux organisations ne seront plus proposées comme doublons."))
    return redirect("actors:duplicates")


@permissions.animator_required
def merge(request):
    params = request.POST if request.method == "POST" else request.GET
    keep, remove = _organisation(params, "garder"), _organisation(params, "retirer")
    if keep.pk == remove.pk:
        raise Http404
    form = MergeForm(request.POST if request.method == "POST" else None, keep=keep, remove=remove)
    if form.is_valid():
        try:
            organisation_merge(keep=keep, remove=remove, merged_by=request.user,
                               carried_user_ids=[u.pk for u in form.cleaned_data["membres"]])
        except ValidationError as exc:
            messages.error(request, _("Fusion impossible : %(e)s") % {"e": "; ".join(exc.messages)})
            return redirect("actors:duplicates")
        messages.success(request, _("« %(removed)s » a été fusionnée dans « %(kept)s ».")
                         % {"removed": remove.name, "kept": keep.name})
        return redirect(keep.get_absolute_url())
    return render(request, "actors/merge.html", {"keep": keep, "remove": remove, "form": form})
