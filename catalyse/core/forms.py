"""Form helpers shared by the apps: a service's errors put back on the form's fields, and repeatable rows.

Repeatable rows work without JavaScript: each column is posted as a list aligned with the others
(`targets_date`, `targets_value`…, one input per column and row), the template draws the rows from
`form.rows[name]`, and an "Ajouter une ligne" button (`name="more_rows" value="<field>"`) posts the form
back to get one more blank row. Used by the evaluation forms (dated targets, disaggregations) and the events
programme (sessions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import zip_longest

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict


def add_service_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form's fields (through `aliases` for the service's own names);
    what names no field goes above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        field = (aliases or {}).get(key, key)
        form.add_error(field if field in form.fields else None, errors)


class RowsWidget(forms.Widget):
    """Reads the aligned lists of `columns` back into one dict per row."""

    def __init__(self, columns: tuple[str, ...]):
        super().__init__()
        self.columns = columns

    def value_from_datadict(self, data, files, name):
        lists = [data.getlist(f"{name}_{column}") for column in self.columns]
        return [dict(zip(self.columns, values, strict=True)) for values in zip_longest(*lists, fillvalue="")]

    def value_omitted_from_data(self, data, files, name):
        return False


def row_is_blank(row: dict) -> bool:
    return not any(str(value).strip() for value in row.values())


class RowsMixin:
    """`rows[name]`: what to draw for each repeatable list — the posted rows (nothing typed is lost) or the
    initial ones, then blank rows to fill in (one more each time "Ajouter une ligne" is pressed). A field may
    say which rows count as blank (`row_is_blank(row)`: a row whose only value is a preselected choice)."""

    row_fields: dict[str, int] = {}  # name -> minimum number of rows shown

    def build_rows(self, more: str = "") -> None:
        self.rows = {}
        for name, minimum in self.row_fields.items():
            field = self.fields[name]
            blank = getattr(field, "row_is_blank", row_is_blank)
            if self.is_bound:
                rows = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                rows = [row for row in rows if not blank(row)]
            else:
                rows = [{key: display(value) for key, value in row.items()} for row in self.initial.get(name, [])]
            blanks = max(minimum - len(rows), 1) + (1 if more == name else 0)
            rows += [dict.fromkeys(field.widget.columns, "") for _i in range(blanks)]
            self.rows[name] = [{"index": i + 1, **row} for i, row in enumerate(rows)]
        if more:
            # Only lengthening a list: show the form again as typed, without "this field is required" yet.
            self._errors, self.cleaned_data = ErrorDict(), {}


def display(value) -> str:
    """A value as typed back into a text input: ISO dates, French decimal commas."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value).replace(".", ",")
    text = str(value)
    return text.replace(".", ",") if text.replace(".", "", 1).lstrip("-").isdigit() else text


def more_rows(request) -> str:
    """The "Ajouter une ligne" button posts the name of the list to lengthen; the form is then shown again."""
    return request.POST.get("more_rows", "")
