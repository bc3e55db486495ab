from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .alerts import saved_search_create
from .backends.base import facet_names
from .forms import SavedSearchForm
from .queries import InvalidSearch, SearchParams, facet_labels, filter_params, search_run
from .registry import indexed_kinds, layout


def search_page(request):
    try:
        params = SearchParams.from_query_dict(request.GET)
    except InvalidSearch as exc:
        return render(request, "search/results.html", {"error": str(exc), "q": request.GET.get("q", "")}, status=400)
    results = search_run(request.user, params)
    kinds = indexed_kinds()
    for h in results.hits:
        h.kind_label, h.kind_icon = kinds[h.kind].label, kinds[h.kind].icon
    return render(request, "search/results.html", {
        "params": params, "q": params.q, "results": results,
        "facets": _facet_links(request.GET, results.facets, params), "form": SavedSearchForm(),
        "pages": _pages(request.GET, params, results.total), "query_string": request.GET.urlencode(),
    })


def _toggle(query: QueryDict, param: str, value: str) -> str:
    q = query.copy()
    values = q.getlist(param)
    q.setlist(param, [v for v in values if v != value] if value in values else [*values, value])
    q.pop("offset", None)
    return q.urlencode()


def _facet_links(query, facets, params):
    labels = facet_labels()
    titles = {"kind": _("Type"), **{f.name: f.title for f in layout().offered}, "region": _("Région"),
              "departement": _("Département")}
    param_of_facet = {facet: param for param, facet in filter_params().items()}
    out = []
    for f in facet_names():
        param = param_of_facet[f]
        selected = params.filters.get(f, [])
        values = [{"label": labels[f].get(v, v), "count": n, "selected": v in selected,
                   "href": "?" + _toggle(query, param, v)} for v, n in facets.get(f, [])]
        if values:
            out.append({"name": f, "title": titles[f], "values": values[:12]})
    return out


def _pages(query, params, total):
    q = query.copy()
    out = {}
    if params.offset > 0:
        q["offset"] = str(max(0, params.offset - params.limit))
        out["previous"] = "?" + q.urlencode()
    if params.offset + params.limit < total:
        q["offset"] = str(params.offset + params.limit)
        out["next"] = "?" + q.urlencode()
    return out


@login_required
@require_POST
def save_search(request):
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            saved_search_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("Recherche enregistrée : vous recevrez les nouveautés par courriel."))
        except InvalidSearch as exc:
            messages.error(request, str(exc))
    return redirect("/recherche/?" + form.data.get("query_string", ""))
