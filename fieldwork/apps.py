from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = _("Field work")

    def ready(self):
        register_agenda()
        register_visits()
        register_workload()
        register_resident_reports()
        from fieldwork import inzage

        inzage.register()  # the household's records for the resident's request for access
        register_retention()
        from fieldwork.services import move_planned_visits
        from households import extensions

        extensions.register_after_assignment(move_planned_visits)
        extensions.register_event_labels({"fieldwork.reassigned": _("reassigned to another handyman")})


# What fieldwork adds to the navigation, the start pages (accounts.start) and the household page
# (households.extensions), one function per part.


def register_agenda() -> None:
    """The handyman's agenda, the household page's field-work section, the community worker's referrals."""
    from accounts import start
    from accounts.roles import Role
    from fieldwork.views.agenda import household_section
    from households import extensions

    start.register_page(_("Agenda"), "fieldwork:agenda", roles={Role.HANDYMAN: 10})
    start.register_page(_("Referrals"), "fieldwork:referrals", roles={Role.COMMUNITY_WORKER: 15,
                                                                      Role.COORDINATOR: 45})
    start.register_section("fieldwork/_start_agenda.html", roles={Role.HANDYMAN: 5})
    start.register_section("fieldwork/_start_referrals.html", roles={Role.COMMUNITY_WORKER: 5})
    extensions.register_detail_section("fieldwork/_household_fieldwork.html", household_section, order=40)


def register_visits() -> None:
    """Recording the three visits."""


def register_workload() -> None:
    """The coordinator's workload page (navigation), this week's visits per handyman on his start page, and
    reassigning on the household page."""
    from accounts import start
    from accounts.roles import Role
    from fieldwork.views.workload import household_section
    from households import extensions

    start.register_page(_("Workload"), "fieldwork:workload", roles={Role.COORDINATOR: 22})
    start.register_section("fieldwork/_workload_start.html", roles={Role.COORDINATOR: 17})
    extensions.register_detail_section("fieldwork/_workload_household.html", household_section, order=42)


def register_retention() -> None:
    """Issue 14: the field work's free text and reports go when a household is anonymised."""
    from fieldwork.retention import anonymise_fieldwork
    from households import extensions

    extensions.register_anonymiser("fieldwork", anonymise_fieldwork)


def register_resident_reports() -> None:
    """The resident's reports on the household page."""
    from fieldwork.views.residents import household_section
    from households import extensions

    extensions.register_detail_section("fieldwork/_household_reports.html", household_section, order=45)
