from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from accounts import sessions, start, viewlog_guard
        from accounts.roles import Role

        viewlog_guard.connect()
        sessions.connect()  # the login moment in the session (idle timeout, "log out everywhere")
        start.register_page(_("Who looked"), "accounts:view_log", roles={Role.COORDINATOR: 90})
        start.register_page(_("Staff"), "accounts:staff", roles={Role.COORDINATOR: 85})
