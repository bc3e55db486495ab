from django import forms
from django.utils.translation import gettext as _

from .keys import territory_from_key
from .models import Territory


class TerritoryKeysField(forms.Field):
    """Territories chosen with the picker: one hidden `level:code` input per territory, shown back the same
    way; cleans to the list of territories, refusing unknown keys."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[Territory]:
        keys = [value] if isinstance(value, str) else list(value or [])
        territories, unknown = [], []
        for key in dict.fromkeys(k for k in keys if k):
            territory = territory_from_key(key)
            (territories.append(territory) if territory else unknown.append(key))
        if unknown:
            raise forms.ValidationError(_("Territoire inconnu : %(keys)s."), params={"keys": ", ".join(unknown)})
        return territories

    def prepare_value(self, value):
        return [t.key if isinstance(t, Territory) else t for t in (value or [])]


class TerritoryPickerMixin:
    """For forms with a territory picker: what it shows as chosen, the posted territories that exist (an
    unknown key is left out, the field reports it) or, before posting, the initial ones."""

    territory_field = "territories"

    def chosen_territories(self) -> list[Territory]:
        if self.is_bound:
            name = self.territory_field
            keys = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name) or []
            keys = [keys] if isinstance(keys, str) else keys
            return [t for t in map(territory_from_key, dict.fromkeys(keys)) if t is not None]
        return [t for t in self.initial_territories() if isinstance(t, Territory)]

    def initial_territories(self) -> list:
        return list(self.initial.get(self.territory_field) or [])
