from django.apps import AppConfig


class KenniscentrumConfig(AppConfig):
    """Project-wide infrastructure that must be wired up in every process, web or management command."""

    name = "kenniscentrum"
    verbose_name = "Kenniscentrum"

    def ready(self):
        from . import outages, pagecache

        # Connected here rather than by the middleware: load_demo and other commands write content too.
        pagecache.connect_signals()
        outages.connect_signals()
