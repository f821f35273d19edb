from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "subsidy"
    verbose_name = _("Subsidy")

    def ready(self):
        from budget import progress
        from households import extensions

        progress.register(progress.LARGE_MEASURES, count_large_measures)
        progress.register(progress.DWELLINGS_EQUIPPED, count_dwellings_equipped)
        extensions.register_large_measures_counter(count_large_measures_of_household)
        register_review_pages()
        register_package_pages()
        register_catalogue_pages()
        from subsidy import inzage

        inzage.register()  # the household's records for the resident's request for access
        register_retention()

        from accounts import start
        from accounts.roles import Role

        start.register_page(_("Payments"), "subsidy:payments", roles={Role.FINANCE_OFFICER: 25, Role.COORDINATOR: 35})


def count_large_measures(programme) -> int:
    """Large measures granted: applications approved, in payout or paid (not withdrawn, lapsed or rejected)."""
    from subsidy.models import Application

    return Application.objects.filter(programme=programme).granted().count()


def count_dwellings_equipped(programme) -> int:
    """Dwellings equipped: with at least one installed products package."""
    from subsidy.packages import dwellings_equipped

    return dwellings_equipped(programme)


def count_large_measures_of_household(household) -> int:
    from subsidy.services import large_measures_granted

    return large_measures_granted(household)


def register_retention() -> None:
    """Issue 14: applications keep a household's personal data for the financial term, and lose it with it; the
    payment batches' files are deleted when their financial term ends (the daily run)."""
    from accounts import retention
    from households import extensions
    from subsidy.retention import anonymise_applications, application_hold, forget_expired_batch_files

    extensions.register_retention_hold("subsidy", application_hold)
    extensions.register_anonymiser("subsidy", anonymise_applications)
    retention.register_forgetter("payment batch files", forget_expired_batch_files)


def register_review_pages() -> None:
    """The staff pages in the navigation, the queue on the start pages, the applications on the household page."""
    from accounts import start
    from accounts.roles import Role
    from households import extensions
    from subsidy.views.review import household_section

    start.register_page(_("Queue"), "subsidy:queue", roles={Role.ASSESSOR: 10, Role.COORDINATOR: 25})
    start.register_page(_("Applications"), "subsidy:list", roles=dict.fromkeys(Role, 30))
    start.register_section("subsidy/_start_queue.html", roles={Role.ASSESSOR: 5})
    start.register_section("subsidy/_start_queue_counts.html", roles={Role.COORDINATOR: 15})
    extensions.register_detail_section("subsidy/_household_applications.html", household_section, order=60)


def register_package_pages() -> None:
    """The handyman's package pages: the household page's packages section."""
    from households import extensions
    from subsidy.views.packages import household_section

    extensions.register_detail_section("subsidy/_household_packages.html", household_section, order=50)


def register_catalogue_pages() -> None:
    """The coordinator's catalogue, packages waiting for a decision and the packages' figures (navigation, start
    page)."""
    from accounts import start
    from accounts.roles import Role

    start.register_page(_("Packages waiting"), "subsidy:packages_waiting", roles={Role.COORDINATOR: 26})
    start.register_page(_("Package figures"), "subsidy:package_figures",
                        roles={Role.COORDINATOR: 37, Role.FINANCE_OFFICER: 27})
    start.register_page(_("Product catalogue"), "subsidy:catalogue", roles={Role.COORDINATOR: 60})
    start.register_section("subsidy/_start_packages.html", roles={Role.COORDINATOR: 16})
