from django.apps import apps
from django.conf import settings
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from . import design as design_tokens
from . import files, registry
from .permissions import animator_required


def home(request):
    """The front door: its blocks come from the apps (core.registry.register_home_block)."""
    return render(request, "core/home.html", {"blocks": registry.home_blocks(request)})


def design(request):
    """The design system's components (docs/design.md screenshots them): open in DEBUG, else to the staff."""
    if settings.DEBUG:
        return _design(request)
    return animator_required(_design)(request)


def _design(request):
    tokens = design_tokens.colour_tokens()
    swatches = [{"name": name, "value": value, "on_white": design_tokens.contrast(value, tokens["bg"])}
                for name, value in tokens.items()]
    try:  # the SDGs are the initiatives app's reference data: shown when it is installed
        sdgs = list(apps.get_model("initiatives", "Sdg").objects.order_by("number"))
    except LookupError:
        sdgs = []
    sample_card = {"initiative": {"title": _("Un tiers-lieu pour l'emploi des jeunes"), "get_absolute_url": "#",
                                  "summary": _("Une alliance d'une commune, d'une association et d'entreprises."),
                                  "get_stage_display": _("Expérimentation")},
                   "themes": [{"name": _("Emploi")}, {"name": _("Jeunesse")}], "colours": ["#0b5e7a", "#a3400b"]}
    return render(request, "core/design.html", {"swatches": swatches, "sdgs": sdgs, "sample_card": sample_card,
                                                "icons": design_tokens.icon_names()})


def about(request):
    return render(request, "core/about.html")


def media_file(request, path):
    """An uploaded file (MEDIA_URL), with the permission of the object that owns it (see core/files.py)."""
    return files.file_response(request, path)


# Error pages (wired in catalyse/urls.py and settings.CSRF_FAILURE_VIEW). Django's own handlers would show
# English text or the raw message of an exception; these give the reason in French when the code gave one.
@requires_csrf_token
def bad_request(request, exception=None, reason: str = ""):
    return render(request, "400.html", {"reason": reason}, status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": _message(exception)}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", {"reason": _message(exception)}, status=404)


def csrf_failure(request, reason: str = ""):
    """Django's reason (English, technical) is not shown: the person needs to know what to do."""
    reason = _("Le formulaire a expiré ou votre navigateur n'a pas envoyé le cookie de sécurité du site.")
    return render(request, "403.html", {"reason": reason, "csrf": True}, status=403)


def too_many_requests(request, retry_after: int):
    minutes = max(1, -(-retry_after // 60))
    response = render(request, "429.html", {"retry_after_minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _message(exception) -> str:
    """The message the code gave (our messages are French), not Django's generic English ones."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if isinstance(message, Promise):  # a lazily translated refusal
        message = str(message)
    if not isinstance(message, str) or message.startswith("No ") or message in ("Introuvable.", "Introuvable"):
        return ""
    return message
