"""Forms of the agenda part's pages: planning and rescheduling a visit, referring a household to a community
worker, handling a referral, reporting a defect to the housing corporation and following it up.

They validate, with Dutch field errors, all at once; the services (fieldwork.services) check again and act. A
visit is planned at a day and a time of the programme's time zone (Europe/Amsterdam); only the evaluation is
offered "by phone" (the intake and the installation are always at home, and their forms do not ask).
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.audit import today_of_acts
from accounts.roles import Role
from accounts.text import no_control_characters_multiline
from budget.forms import DateInput
from fieldwork.models import Visit
from households.forms import PersonChoiceField, users_with_role

MAX_TEXT = 2000


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _text(label, *, required: bool, rows: int = 3, help_text: str = "", required_message=None) -> forms.CharField:
    messages = {"required": required_message} if required_message else {}
    return forms.CharField(label=label, required=required, max_length=MAX_TEXT, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}), error_messages=messages,
                           validators=[no_control_characters_multiline])


def _past_day(label, *, required: bool) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class PlanVisitForm(forms.Form):
    """When the visit of `kind` takes place: day and time, and for the evaluation whether it is by phone."""

    day = forms.DateField(label=capfirst(_("date")), widget=DateInput())
    time = forms.TimeField(label=capfirst(_("time")), widget=TimeInput())
    mode = forms.ChoiceField(label=capfirst(_("how")), choices=Visit.Mode.choices, initial=Visit.Mode.AT_HOME,
                             widget=forms.RadioSelect)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Visit.Kind.EVALUATION:
            del self.fields["mode"]

    @classmethod
    def for_visit(cls, visit: Visit, data=None, **kwargs) -> "PlanVisitForm":
        """The form to move a planned visit, filled in with when it is planned now."""
        moment = timezone.localtime(visit.planned_at)
        return cls(data, kind=visit.kind, initial={"day": moment.date(), "time": moment.time().replace(second=0),
                                                   "mode": visit.mode}, **kwargs)

    def planned_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))

    @property
    def asks_mode(self) -> bool:
        return "mode" in self.fields

    def chosen_mode(self) -> str:
        return self.cleaned_data.get("mode") or Visit.Mode.AT_HOME


class ReferralForm(forms.Form):
    community_worker = PersonChoiceField(queryset=users_with_role(Role.COMMUNITY_WORKER),
                                         label=capfirst(_("community worker")), empty_label=_("(choose)"),
                                         error_messages={"required": _("Choose the community worker to refer to."),
                                                         "invalid_choice": _("Choose a community worker.")})
    reason = _text(capfirst(_("what the household needs help with")), required=True,
                   help_text=_("E.g. money worries, the application for a large measure, the energy-saving loan."),
                   required_message=_("Say what the household needs help with."))


class HandleReferralForm(forms.Form):
    note = _text(capfirst(_("note")), required=False, rows=2, help_text=_("Optional: what you did or agreed."))


class DefectReportForm(forms.Form):
    description = _text(capfirst(_("what is wrong")), required=True, rows=4,
                        required_message=_("Describe what is wrong with the home."))
    sent_on = _past_day(capfirst(_("sent on")), required=True)

    def clean_sent_on(self) -> datetime.date:
        day = self.cleaned_data["sent_on"]
        if day > today_of_acts():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class DefectUpdateForm(forms.Form):
    """The corporation's answers: acknowledged on, resolved on; neither before the report was sent, nor later
    than today; resolved not before acknowledged."""

    acknowledged_on = _past_day(capfirst(_("acknowledged on")), required=False)
    resolved_on = _past_day(capfirst(_("resolved on")), required=False)

    def __init__(self, *args, sent_on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_on = sent_on

    def _check(self, name: str) -> datetime.date | None:
        day = self.cleaned_data[name]
        if day is None:
            return None
        if day > today_of_acts():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < self.sent_on:
            raise forms.ValidationError(_("The date cannot be before the report was sent (%(day)s).")
                                        % {"day": self.sent_on.strftime("%d-%m-%Y")})
        return day

    def clean_acknowledged_on(self):
        return self._check("acknowledged_on")

    def clean_resolved_on(self):
        return self._check("resolved_on")

    def clean(self):
        data = super().clean()
        acknowledged, resolved = data.get("acknowledged_on"), data.get("resolved_on")
        if acknowledged and resolved and resolved < acknowledged:
            self.add_error("resolved_on", _("The report cannot be resolved before it was acknowledged."))
        if not self.errors and not acknowledged and not resolved:
            raise forms.ValidationError(_("Give the date it was acknowledged or resolved."))
        return data
