from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Nom de la recherche"), max_length=120)
    query_string = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
    frequency = forms.ChoiceField(label=_("Recevoir les nouveautés"), choices=Frequency.choices,
                                  initial=Frequency.WEEKLY)
