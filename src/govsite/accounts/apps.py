from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govsite.accounts"
    label = "accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from govsite.accounts import events

        events.connect()
