from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programma's en werking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Here, not at the top: a search module imports models, which the app registry loads first.
        from .search import declarations, index

        declarations.autodiscover()  # every app's `search` module registers its kinds
        index.connect_signals()
