from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        register_programme_report()
        register_scenarios()
        register_province_export()
        register_list_exports()
        register_forgetters()


# What reports adds to the navigation and the start pages (accounts.start) and to the other apps' lists,
# one function per part. Reports is the far right app: nothing depends on it, it reads every other app.


def register_programme_report() -> None:
    """The programme report (coordinator and finance), and its headline on their start pages."""
    from accounts import start
    from accounts.roles import Role

    start.register_page(_("Programme report"), "reports:programme", roles={Role.COORDINATOR: 65,
                                                                           Role.FINANCE_OFFICER: 30})
    start.register_section("reports/programme/_start_headline.html", roles={Role.COORDINATOR: 12,
                                                                            Role.FINANCE_OFFICER: 12})


def register_scenarios() -> None:
    """The "wat als" scenarios (coordinator and finance)."""
    from accounts import start
    from accounts.roles import Role

    start.register_page(_("What if"), "reports:scenarios", roles={Role.COORDINATOR: 67, Role.FINANCE_OFFICER: 32})


def register_province_export() -> None:
    """The province's data-platform export."""
    from accounts import start
    from accounts.roles import Role

    start.register_page(_("Province export"), "reports:province", roles={Role.COORDINATOR: 70})


def register_list_exports() -> None:
    """The export buttons on the other apps' lists (accounts.exports; the kinds in reports.exports)."""
    from accounts.exports import register_list_export
    from reports.exports import KINDS

    for kind in KINDS.values():
        register_list_export(kind.name, url_name="reports:start_list_export", permission=kind.permission)


def register_forgetters() -> None:
    """The files of personal data that reports keeps for a day: the daily retention run forgets them too."""
    from accounts import retention
    from reports.exports import clear_old_exports
    from reports.province import clear_old_address_files

    retention.register_forgetter("list exports", clear_old_exports)
    retention.register_forgetter("province files per address", clear_old_address_files)
