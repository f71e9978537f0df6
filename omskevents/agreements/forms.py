"""Forms of the agreements register: filters, the agreement itself, a move along the pipeline, a new text."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.core.ids import StrictModelMultipleChoiceField
from omskevents.events.models import Event
from omskevents.workplan.uploads import inspect_upload

from .enums import AgreementKind, Language, Stage
from .models import Agreement
from .selectors import RegisterFilter

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterFilterForm(forms.Form):
    """The register's filters, read from the query string, so a filtered page is a link."""

    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.all(), required=False, empty_label=_("All events")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *AgreementKind.choices], required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency (party or responsible)"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("All agencies"),
    )
    overdue = forms.BooleanField(label=_("Overdue stages only"), required=False)

    def to_filter(self) -> RegisterFilter:
        """The filter the valid fields describe (invalid fields are left out, never guessed)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        agency = data.get("agency")
        return RegisterFilter(
            event=data.get("event"),
            kind=data.get("kind") or "",
            stage=data.get("stage") or "",
            agency_id=agency.pk if agency is not None else None,
            overdue=bool(data.get("overdue")),
        )


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = (
            "event",
            "number",
            "title",
            "title_kk",
            "title_en",
            "kind",
            "ru_parties",
            "ru_organisations",
            "ru_responsible",
            "ru_signatory",
            "ru_seat",
            "kz_parties",
            "kz_organisations",
            "kz_responsible",
            "kz_signatory",
            "kz_seat",
            "ceremony_day",
            "signing_order",
            "notes",
        )
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "title_kk": forms.Textarea(attrs={"rows": 2}),
            "title_en": forms.Textarea(attrs={"rows": 2}),
            "ru_organisations": forms.Textarea(attrs={"rows": 2}),
            "kz_organisations": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "ru_parties": forms.SelectMultiple(attrs={"size": 6}),
            "kz_parties": forms.SelectMultiple(attrs={"size": 6}),
        }
        # Every posted id read strictly: a number past a database integer is the field's error, not a crash.
        field_classes = {"ru_parties": StrictModelMultipleChoiceField, "kz_parties": StrictModelMultipleChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        russian = Agency.objects.exclude(country=Country.KZ).order_by("short_name")
        kazakh = Agency.objects.filter(country=Country.KZ).order_by("short_name")
        for name, queryset in (
            ("ru_parties", russian),
            ("ru_responsible", russian),
            ("kz_parties", kazakh),
            ("kz_responsible", kazakh),
        ):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the services take it: the parties apart, the rest as fields."""
        data = dict(self.cleaned_data)
        data.pop("ru_parties", None)
        data.pop("kz_parties", None)
        return data

    def _post_clean(self) -> None:
        # The services validate the model (full_clean) with the parties set; the form checks its fields only.
        pass


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE_INPUT)
    signed_place = forms.CharField(label=_("Place of signing"), required=False, max_length=255)
    signed_by = forms.CharField(
        label=_("Signed by"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF or DOCX (also XLSX, PNG, JPEG)."))
    comment = forms.CharField(label=_("What changed"), required=False, max_length=500)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            inspect_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return upload
