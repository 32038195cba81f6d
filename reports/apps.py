from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Jaarplannen en jaarverslagen"
    default_auto_field = "django.db.models.BigAutoField"
