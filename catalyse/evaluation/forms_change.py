"""Forms of the part-2 evaluation pages. They only shape input: the rules live in `services_change` and `sroi`
(their ValidationErrors come back onto the forms, field by field)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation

from . import sroi
from .models import Becomes, ConductRule, FatKind, MarkerLevel, MarkerStatus


def partners_of(initiative):
    return Organisation.objects.filter(partnerships__initiative=initiative).distinct().order_by("name")


class VisionForm(forms.Form):
    text = forms.CharField(label=_("Vision partagée"), widget=forms.Textarea(attrs={"rows": 3}))


class ChangePathForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation dont le changement est recherché"), required=False,
                                          queryset=Organisation.objects.none(),
                                          help_text=_("un partenaire de l'alliance ; sinon, nommez l'acteur"))
    actor_name = forms.CharField(label=_("Ou acteur (texte libre)"), required=False, max_length=200)
    outcome_challenge = forms.CharField(label=_("Défi de changement"), widget=forms.Textarea(attrs={"rows": 3}))
    expect = forms.CharField(label=_("Nous nous attendons à voir (un marqueur par ligne)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    like = forms.CharField(label=_("Nous aimerions voir (un marqueur par ligne)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    love = forms.CharField(label=_("Nous adorerions voir (un marqueur par ligne)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners_of(initiative)

    def markers(self) -> list[tuple[str, str]]:
        return [(level, line.strip()) for level in MarkerLevel.values
                for line in self.cleaned_data[level].splitlines() if line.strip()]


class JournalEntryForm(forms.Form):
    marker = forms.ModelChoiceField(label=_("Marqueur de progrès"), required=False, queryset=None,
                                    empty_label=_("— aucun : changement inattendu —"))
    observed_on = forms.DateField(label=_("Observé le"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Statut du marqueur"), required=False,
                               choices=[("", _("— sans objet —")), *MarkerStatus.choices])
    observed_change = forms.CharField(label=_("Changement observé"), widget=forms.Textarea(attrs={"rows": 3}))
    significance = forms.CharField(label=_("En quoi c'est important"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    contribution = forms.CharField(label=_("Contribution de l'alliance"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.ModelMultipleChoiceField(label=_("Preuves"), required=False, queryset=None,
                                              widget=forms.CheckboxSelectMultiple)
    confirmed_by = forms.ModelChoiceField(label=_("Confirmé par (organisation)"), required=False,
                                          queryset=Organisation.objects.none())
    confirmed_by_role = forms.CharField(label=_("Fonction de la personne qui confirme"), required=False,
                                        max_length=120, help_text=_("une fonction, jamais un nom"))

    def __init__(self, *args, path, **kwargs):
        kwargs.setdefault("prefix", f"path{path.pk}")
        super().__init__(*args, **kwargs)
        self.fields["marker"].queryset = path.markers.all()
        self.fields["evidence"].queryset = path.initiative.evidence.all()
        self.fields["confirmed_by"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in partners_of(path.initiative)] + ([path.organisation_id] if path.organisation_id
                                                                    else []))
        self.fields["observed_on"].initial = timezone.localdate()


class FatItemForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Partenaire qui s'exprime"), queryset=Organisation.objects.none())
    about = forms.ModelChoiceField(label=_("En miroir, pour l'organisation"), required=False,
                                   queryset=Organisation.objects.none(),
                                   help_text=_("vide : le partenaire parle pour lui-même"))
    kind = forms.ChoiceField(label=_("Type"), choices=FatKind.choices)
    text = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = self.fields["about"].queryset = partners_of(initiative)


class FatTransformForm(forms.Form):
    becomes = forms.ChoiceField(label=_("Devenu"), choices=Becomes.choices)
    objective = forms.ModelChoiceField(label=_("Objectif"), required=False, queryset=None)
    rule = forms.ModelChoiceField(label=_("Précaution ou règle existante"), required=False, queryset=None)
    rule_text = forms.CharField(label=_("Ou nouvelle précaution / règle"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("prefix", f"item{item.pk}")
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = item.initiative.objectives.all()
        self.fields["rule"].queryset = ConductRule.objects.filter(initiative=item.initiative)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    participants = forms.ModelMultipleChoiceField(label=_("Organisations participantes"), required=False,
                                                  queryset=Organisation.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)
    indicators = forms.ModelMultipleChoiceField(label=_("Indicateurs discutés"), required=False, queryset=None,
                                                widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=_("Ce que nous avons compris ensemble"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    disagreement_subject = forms.CharField(label=_("Point de désaccord"), required=False, max_length=300)
    disagreement_positions = forms.CharField(label=_("Positions exprimées (une par ligne, avec qui la porte)"),
                                             required=False, widget=forms.Textarea(attrs={"rows": 3}))
    disagreement_organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations en désaccord"), required=False, queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    decision = forms.CharField(label=_("Décision"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Suite à donner"), required=False)
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    versions = forms.ModelMultipleChoiceField(label=_("Versions d'indicateur que la décision a causées"),
                                              required=False, queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, initiative, versions, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partners_of(initiative)
        self.fields["participants"].queryset = self.fields["disagreement_organisations"].queryset = partners
        self.fields["indicators"].queryset = initiative.indicators.all()
        self.fields["versions"].queryset = versions
        self.fields["versions"].label_from_instance = lambda v: f"{v.indicator.name} — v{v.number}"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        disagreements = []
        if data["disagreement_subject"] or data["disagreement_positions"]:
            disagreements.append({"subject": data["disagreement_subject"], "positions": data["disagreement_positions"],
                                  "organisations": data["disagreement_organisations"]})
        decisions = []
        if data["decision"]:
            decisions.append({"text": data["decision"], "follow_up": data["follow_up"], "due_on": data["due_on"],
                              "indicator_versions": data["versions"]})
        return {"held_on": data["held_on"], "title": data["title"], "participants": data["participants"],
                "indicators": data["indicators"], "summary": data["summary"], "disagreements": disagreements,
                "decisions": decisions}


def _decimal_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=18, decimal_places=4, localize=True, **kwargs)


class SroiForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    investment = _decimal_field(_("Investissement (€)"), min_value=Decimal("0.01"), help_text=_("supérieur à zéro"))
    investment_note = forms.CharField(label=_("Ce que comprend l'investissement"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    discount_rate = _decimal_field(_("Taux d'actualisation (%)"), initial=Decimal("3.5"), min_value=0, max_value=100,
                                   help_text=_("en pourcentage, de 0 à 100"))
    sensitivity_step = _decimal_field(_("Pas de sensibilité (points de %)"), initial=Decimal(10),
                                      min_value=Decimal("0.01"), max_value=100,
                                      help_text=_("chaque hypothèse est déplacée de ce pas, vers le bas et le haut"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


PERCENT_FIELDS = ("deadweight", "attribution", "displacement", "drop_off")


class SroiOutcomeForm(forms.Form):
    name = forms.CharField(label=_("Effet"), max_length=200)
    stakeholder = forms.CharField(label=_("Partie prenante concernée"), required=False, max_length=200)
    quantity = _decimal_field(_("Quantité"), min_value=0)
    proxy = _decimal_field(_("Valeur financière unitaire (€ par an)"), min_value=0)
    proxy_source = forms.CharField(label=_("Source de la valeur financière"), max_length=500)
    deadweight = _decimal_field(_("Effet d'aubaine (%)"), initial=0, min_value=0, max_value=100)
    attribution = _decimal_field(_("Attribution à d'autres (%)"), initial=0, min_value=0, max_value=100)
    displacement = _decimal_field(_("Déplacement (%)"), initial=0, min_value=0, max_value=100)
    drop_off = _decimal_field(_("Érosion annuelle (%)"), initial=0, min_value=0, max_value=100)
    duration = forms.IntegerField(label=_("Durée (années)"), initial=1, min_value=1, max_value=sroi.MAX_DURATION)
    assumptions = forms.CharField(label=_("Justification des hypothèses"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def outcome(self) -> dict:
        data = dict(self.cleaned_data)
        for name in PERCENT_FIELDS:
            data[name] = data[name] / 100
        return data


SroiOutcomeFormSet = forms.formset_factory(SroiOutcomeForm, extra=2, min_num=1, validate_min=True, max_num=20)
