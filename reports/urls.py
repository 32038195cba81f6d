from django.urls import path, register_converter

from . import views


class YearConverter:
    """Four digits only: /jaarplan/abc/ or /jaarplan/99999999/ is a 404, never a database error."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(YearConverter, "year")

app_name = "reports"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("jaarplan/<year:year>/", views.EditionDetailView.as_view(kind="plan"), name="plan-detail"),
    path("jaarverslag/<year:year>/", views.EditionDetailView.as_view(kind="report"), name="report-detail"),
    path("edities/", views.EditionListView.as_view(), name="edition-list"),
]
