"""The counts kept per territory (`counts.py`) follow every write of organisations and initiatives, whatever
channel made it (services, admin, factories, merges, the organisation imports' batches): those apps cannot call
into this one, so signals, as the evaluation's results do. Each receiver runs inside the writer's transaction."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from catalyse.actors.models import Organisation, Trade
from catalyse.actors.signals import organisations_bulk_changed
from catalyse.initiatives.models import Initiative, Theme

from .counts import shares_refresh
from .models import Counted

KINDS = {Organisation: Counted.ORGANISATION, Initiative: Counted.INITIATIVE}


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        shares_refresh(KINDS[sender], ids=[instance.pk])


def _deleted(sender, instance, **kwargs) -> None:
    shares_refresh(KINDS[sender], ids=[instance.pk])  # gone: its share is taken back


def _links_changed(kind: str):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if action in {"post_add", "post_remove", "post_clear"}:
            # Reverse (a trade's or a territory's side): pk_set names the objects; a reverse clear names none,
            # and nothing in the apps clears a trade, a theme or a territory of all its objects.
            ids = sorted(pk_set or []) if reverse else [instance.pk]
            if ids:
                shares_refresh(kind, ids=ids)
    return receiver


def _organisations_imported(sender, ids, created=False, **kwargs) -> None:
    shares_refresh(Counted.ORGANISATION, ids=ids)


# A trade or a theme deleted takes its links with it, without many-to-many signals: the objects that had it are
# noted before and refreshed after.
def _category_deleting(sender, instance, **kwargs) -> None:
    related = instance.organisations if sender is Trade else instance.initiatives
    instance._counted_ids = list(related.values_list("pk", flat=True))


def _category_deleted(sender, instance, **kwargs) -> None:
    kind = Counted.ORGANISATION if sender is Trade else Counted.INITIATIVE
    shares_refresh(kind, ids=getattr(instance, "_counted_ids", []))


_RECEIVERS = {Counted.ORGANISATION: _links_changed(Counted.ORGANISATION),
              Counted.INITIATIVE: _links_changed(Counted.INITIATIVE)}


def connect(*, disconnect: bool = False) -> None:
    """Connect the receivers (`disconnect=True` takes them off: the benchmark times writes without them)."""
    def hook(signal, receiver, **kwargs) -> None:
        if disconnect:
            signal.disconnect(sender=kwargs.get("sender"), dispatch_uid=kwargs["dispatch_uid"])
        else:
            signal.connect(receiver, **kwargs)

    for model, kind in KINDS.items():
        hook(post_save, _saved, sender=model, dispatch_uid=f"observatory-counts-{kind}-save")
        hook(post_delete, _deleted, sender=model, dispatch_uid=f"observatory-counts-{kind}-delete")
    for through, kind in ((Organisation.trades.through, Counted.ORGANISATION),
                          (Organisation.territories.through, Counted.ORGANISATION),
                          (Initiative.themes.through, Counted.INITIATIVE),
                          (Initiative.territories.through, Counted.INITIATIVE)):
        hook(m2m_changed, _RECEIVERS[kind], sender=through,
             dispatch_uid=f"observatory-counts-{through._meta.model_name}")
    hook(organisations_bulk_changed, _organisations_imported, dispatch_uid="observatory-counts-imported")
    for category in (Trade, Theme):
        hook(pre_delete, _category_deleting, sender=category,
             dispatch_uid=f"observatory-counts-{category._meta.model_name}-deleting")
        hook(post_delete, _category_deleted, sender=category,
             dispatch_uid=f"observatory-counts-{category._meta.model_name}-deleted")
