from django.apps import AppConfig


class PluggableConfig(AppConfig):
    name = "catalyse.core.tests.pluggable"
    label = "pluggable"
    verbose_name = "Notes"

    def ready(self) -> None:
        from catalyse.accounts import moderation, personal_data
        from catalyse.core import registry
        from catalyse.search.registry import SearchKind, register

        from . import plugs
        from .models import Note

        moderation.register(Note, label="Notes", apply_change=plugs.note_apply_change, suggestible_fields=["body"],
                            preview_field="body")
        personal_data.register("notes_created", plugs.notes_created)
        registry.register_demo(self, plugs.demo_load)
        registry.register_generator("notes", label="notes", help="nombre de notes à créer",
                                    generate=plugs.notes_generate, clear=plugs.notes_clear)
        register(SearchKind("note", "pluggable.Note", plugs.notes_documents, "Note", "🗒"))
