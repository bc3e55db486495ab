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
