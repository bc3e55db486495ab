"""Saved searches and their digests: new matching items since the last sending, by email."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Frequency, SavedSearch
from .queries import SearchParams, search_run

PERIOD = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
DIGEST_SIZE = 20


def saved_search_create(*, user, name: str, query_string: str, frequency: str = Frequency.WEEKLY) -> SavedSearch:
    SearchParams.from_query_dict(QueryDict(query_string))  # refuses parameters a search would refuse
    return SavedSearch.objects.create(user=user, name=name[:120], query_string=query_string[:1000],
                                      frequency=frequency)


def search_alerts_send(*, frequency: str, now=None) -> int:
    """Email each due saved search's new items (updated since the last sending, as the user may see them);
    returns the number of emails sent."""
    now = now or timezone.now()
    sent = 0
    due = SavedSearch.objects.filter(frequency=frequency, user__is_active=True).select_related("user")
    for saved in due.iterator():
        since = saved.last_sent_at or (now - PERIOD[Frequency(frequency)])
        if now - since < PERIOD[Frequency(frequency)] - timedelta(hours=1):
            continue
        data = QueryDict(saved.query_string, mutable=True)
        data["sort"], data["limit"], data["offset"] = "recency", str(DIGEST_SIZE), "0"
        results = search_run(saved.user, SearchParams.from_query_dict(data), with_facets=False)
        fresh = [h for h in results.hits if h.updated_ts >= since.timestamp()]
        saved.last_sent_at = now
        saved.save(update_fields=["last_sent_at"])
        if not fresh:
            continue
        context = {"saved": saved, "hits": fresh, "site": getattr(settings, "SITE_URL", "")}
        send_mail(
            subject=f"Catalyse — nouveautés pour « {saved.name} »",
            message=render_to_string("search/alert_email.txt", context),
            from_email=None, recipient_list=[saved.user.email],
        )
        sent += 1
    return sent
