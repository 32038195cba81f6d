from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programma's en werking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import searchindex

        searchindex.connect_signals()
