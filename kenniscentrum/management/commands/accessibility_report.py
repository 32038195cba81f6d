"""Sum up the last run of the accessibility checks into kenniscentrum/accessibility.json (the figures of /toegankelijkheid/)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kenniscentrum import accessibility


class Command(BaseCommand):
    help = (
        "Vat de laatste run van de toegankelijkheidscontroles (browsertests en PDF-tests) samen in "
        "kenniscentrum/accessibility.json, de cijfers van de toegankelijkheidsverklaring. `make accessibility` "
        "draait eerst die tests en dan dit commando."
    )

    def add_arguments(self, parser):
        parser.add_argument("--results", default=str(accessibility.RESULTS_DIR), help="map met de resultaten van de tests")
        parser.add_argument("--output", default=str(accessibility.REPORT_FILE), help="het bestand dat de pagina leest")

    def handle(self, *args, results, output, **options):
        found = accessibility.read_results(Path(results))
        missing = [check for check in ("axe", "reflow", "pdf") if check not in found]
        if missing:
            raise CommandError(
                f"Geen resultaten van {', '.join(missing)} in {results}: draai eerst de browsertests en de PDF-tests "
                "(ze schrijven hun resultaten daar)."
            )
        report = accessibility.summarise(found)
        accessibility.write_report(report, Path(output))
        problems = accessibility.problems_found(report)
        self.stdout.write(
            f"{output}: controles van {report['date']}, status {accessibility.conformance(report)}, "
            f"{len(problems)} gevonden {'probleem' if len(problems) == 1 else 'problemen'}."
        )
        for problem in problems:
            self.stdout.write(f"  - {problem}")
