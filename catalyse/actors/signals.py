"""Signals for changes that bypass Model.save(): imports write organisations with one statement per batch,
so post_save never fires for them, yet the search index and the map cache must still hear of them."""

from django.dispatch import Signal

# Sent inside the batch's transaction with `ids`, the primary keys of the organisations inserted or updated, and
# `created` (True for new ones: they have no partnerships, no initiative to refresh yet).
organisations_bulk_changed = Signal()
