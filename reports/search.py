"""What of the reports app can be searched: the settlements (afrekeningen) and the report pages.

Registered with the site search of programmes (programmes.search.declarations), which imports this
module once the apps are ready; so programmes names nothing of reports.
"""
from django.urls import reverse

from programmes.amounts import format_euro
from programmes.models import Budget
from programmes.search.declarations import ChangedWith, Kind, Page, Result, Section, Years, registry

from .models import Edition


def _budgets(audience):
    return Budget.objects.visible_to(audience)


def _budget_result(budget) -> Result:
    url = reverse("reports:report-detail", kwargs={"year": budget.year}) + "#afrekening"
    return Result(budget.settlement_title, url, f"Jaarverslag {budget.year} · totaal {format_euro(budget.total)}")


def _budgets_of_editions(edition_pks):
    """An edition published or withdrawn decides whether the budget of its year is public (and so its
    links). Every budget: a changed edition may have changed its year too, and there is one a year."""
    return Budget.objects.all()


BUDGETS = Section("budgets", "Budget en afrekening", 50)

registry.register(
    # The afrekening of a year, as its jaarverslag shows it.
    Kind("budgets", Budget, BUDGETS, _budgets, _budget_result, title=("settlement_title",), summary=("note",),
         programmes=("lines__programme",), years=(Years("year"),),
         changed_with=(ChangedWith(Edition, _budgets_of_editions),), order=("-year",)),
    pages=(
        Page("Financiën", "reports:finances", "Budget en afrekening van elk jaar, met grafiek en tabel",
             "budget begroting afrekening uitgaven inkomsten kosten geld bedragen euro middelen financiering", position=10),
        Page("Jaarplannen en jaarverslagen", "reports:edition-list", "Alle edities als webpagina, PDF en HTML-bestand",
             "edities jaarplan jaarverslag verslag plan pdf downloaden archief", position=20),
        Page("Open data", "reports:open-data", "De gegevens per jaar als CSV en JSON, en de DCAT-catalogus",
             "opendata data gegevens csv json downloaden datasets dcat catalogus hergebruik licentie", position=30),
        Page("Toegankelijkheidsverklaring", "reports:accessibility",
             "Hoe toegankelijk de site en haar PDF's zijn, en waar je een probleem meldt",
             "toegankelijkheid toegankelijk wcag schermlezer drempel klacht ombudsdienst", position=40),
    ),
)
