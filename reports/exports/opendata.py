"""Open data: the public record of a year as CSV and JSON datasets, built for an anonymous visitor."""
import csv
import datetime
import html
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Q
from django.utils import timezone

from programmes.models import Budget, ExternalFunding, Link, Meeting, Result, WorkingGroup, WorkTrack, WorkTrackYear
from programmes.addresses import is_placeholder_value
from programmes.richtext import to_safe_html
from programmes.selectors import meeting_counts

from ..models import Edition, EditionEntry, SectionLink

def _city_names(relation, owner_ids) -> dict[int, str]:
    """{owner id: "Aalst; Gent"} for a many-to-many relation to City, from plain values in one query.

    The open-data rows list the cities of every track or group; building a City instance for each of
    those hundreds of pairs took most of the CSV's time.
    """
    field = relation.field
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    names = defaultdict(list)
    rows = relation.through.objects.filter(**{f"{owner}_id__in": owner_ids}).values_list(f"{owner}_id", f"{target}__name")
    for owner_id, name in rows:
        names[owner_id].append(name)
    return {owner_id: "; ".join(sorted(values)) for owner_id, values in names.items()}


def _names(objects) -> str:
    return "; ".join(sorted(str(o) for o in objects))


def _amount(value) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


# Open data is the public record: it is built for an anonymous visitor, whoever downloads it.
PUBLIC = AnonymousUser()


def _published_track_years(year: int):
    return (
        WorkTrackYear.objects.visible_to(PUBLIC).for_year(year)
        .order_by("programme__order", "programme__name", "track__title")
    )


def _track_rows(year):
    in_plan = set(WorkTrackYear.objects.for_year(year).part_visible_to(PUBLIC, "plan").values_list("pk", flat=True))
    in_report = set(WorkTrackYear.objects.for_year(year).part_visible_to(PUBLIC, "report").values_list("pk", flat=True))
    # The number a track has in that year's published jaarplan, else jaarverslag (numbering belongs to an edition).
    numbers = dict(
        EditionEntry.objects.filter(edition__in=Edition.objects.visible_to(PUBLIC), edition__year=year, track_year__isnull=False)
        .order_by("-edition__kind").values_list("track_year_id", "number")
    )
    # Only the relations the rows use: with_related() also fetches the links, which this dataset does not show.
    track_years = list(_published_track_years(year).select_related("track", "programme").prefetch_related("track__partners"))
    track_ids = [ty.track_id for ty in track_years]
    lead_cities, cities = _city_names(WorkTrack.lead_cities, track_ids), _city_names(WorkTrack.cities, track_ids)
    for ty in track_years:
        track = ty.track
        yield {
            "year": year,
            "programme": ty.programme.name,
            "number": numbers.get(ty.pk, ""),
            "title": ty.display_title,
            "kind": track.get_kind_display(),
            "lead_cities": lead_cities.get(track.pk, ""),
            "cities": cities.get(track.pk, ""),
            "partners": _names(track.partners.all()),
            "in_plan": ty.pk in in_plan,
            "in_report": ty.pk in in_report,
            "status": "afgerond" if track.end_year and track.end_year <= year else "lopend",
            "url": track.get_absolute_url(),
        }


_BREAKS = re.compile(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def _plain_text(markup: str) -> str:
    """An editor's text without markup: paragraphs and list items on lines of their own."""
    text = html.unescape(_TAGS.sub("", _BREAKS.sub("\n", markup or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _text_rows(year):
    """Every published plan and report text of the year, with the number its edition gives it."""
    for part, kind in (("plan", Edition.Kind.PLAN), ("report", Edition.Kind.REPORT)):
        numbers = dict(
            EditionEntry.objects.filter(edition__in=Edition.objects.visible_to(PUBLIC), edition__kind=kind, edition__year=year,
                                        track_year__isnull=False).values_list("track_year_id", "number")
        )
        texts = (
            WorkTrackYear.objects.for_year(year).part_visible_to(PUBLIC, part).select_related("track", "programme")
            .order_by("programme__order", "programme__name", "track__title")
        )
        for ty in texts:
            markup = to_safe_html(getattr(ty, f"{part}_text"))
            yield {
                "year": year, "edition": str(kind.label), "programme": ty.programme.name, "number": numbers.get(ty.pk, ""),
                "title": ty.display_title, "text": _plain_text(markup), "html": markup, "url": ty.track.get_absolute_url(),
            }


def _groups_in_year(year):
    """Public groups at work that year (WorkingGroupQuerySet.at_work_in: the rule of the editions and /werkgroepen/)."""
    return WorkingGroup.objects.visible_to(PUBLIC).at_work_in(year, PUBLIC)


def _groups_for_year(year):
    groups = _groups_in_year(year).select_related("lead_city", "programme").prefetch_related("partners")
    groups = list(groups.order_by("name"))
    return groups, meeting_counts(group_ids=[g.pk for g in groups], years=[year])


def _group_rows(year):
    groups, counts = _groups_for_year(year)
    cities = _city_names(WorkingGroup.cities, [g.pk for g in groups])
    for g in groups:
        yield {
            "year": year,
            "name": g.name,
            "kind": g.get_kind_display(),
            "programme": g.programme.name if g.programme else "",
            "lead_city": g.lead_city.name if g.lead_city else "",
            "cities": cities.get(g.pk, ""),
            "partners": _names(g.partners.all()),
            "frequency": g.frequency,
            "meeting_count": counts.get((g.pk, year), ""),
            "url": g.get_absolute_url(),
        }


def _meeting_rows(year):
    for m in Meeting.objects.visible_to(PUBLIC).for_year(year).with_related().order_by("sort_date", "title", "pk"):
        yield {
            "id": m.pk,
            "year": year,
            "date": m.iso_date,
            "end_date": m.end_date.isoformat() if m.end_date else "",
            "date_precision": m.precision,
            "period": m.get_period_display() if m.period else "",
            "start_time": m.start_time.strftime("%H:%M") if m.start_time else "",
            "end_time": m.end_time.strftime("%H:%M") if m.end_time else "",
            "date_text": m.date_display,
            "title": m.title,
            "kind": m.kind.name,
            "status": m.get_status_display(),
            "new_date": m.moved_to.iso if m.moved_to else "",
            "group": m.group.name if m.group else "",
            "track": m.track.title if m.track else "",
            "host_city": m.host_city.name if m.host_city else "",
            "place": m.place,
        }


def _number(value) -> str:
    """A count or amount with a point as decimal sign and no needless zeros: '20', '12.5', '1026647.54'."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _result_rows(year):
    """Results of that year's track-years, each value as far as it is public (a target with the published
    jaarplan, an achievement with the published jaarverslag); then external funding running that year."""
    results = (
        Result.objects.with_parts(PUBLIC).filter(track_year__year=year).select_related("track_year__track")
        .order_by("track_year__track__title", "order", "id")
    )
    for r in results:
        target = r.target if r.show_target else None
        achieved = r.achieved if r.show_achieved else None
        if target is None and achieved is None:
            continue
        yield {
            "year": year, "type": "resultaat", "track": r.track_year.display_title, "label": r.label, "unit": r.unit,
            "target": _number(target), "achieved": _number(achieved),
            "date": r.date.isoformat() if r.date and achieved is not None else "",
            "key_figure": r.is_key_figure and achieved is not None, "source": "", "period": "", "note": r.note,
            "url": r.track_year.get_absolute_url(),
        }
    fundings = (
        ExternalFunding.objects.visible_to(PUBLIC).active_in(year)
        .filter(track__in=_published_track_years(year).values("track_id"))
        .select_related("track", "organisation").order_by("track__title", "order", "id")
    )
    for f in fundings:
        yield {
            "year": year, "type": "externe financiering", "track": f.track.title, "label": "externe financiering",
            "unit": "euro", "target": "", "achieved": _number(f.amount), "date": "", "key_figure": False,
            "source": f.source_display, "period": f.period_display.replace("–", "-"), "note": f.note,
            "url": f.track.get_absolute_url(),
        }


def _budget_for_year(year):
    """The budget is part of the jaarverslag: open only once that jaarverslag is published."""
    return Budget.objects.visible_to(PUBLIC).filter(year=year).prefetch_related("lines__programme", "funding_sources").first()


def _budget_rows(year):
    budget = _budget_for_year(year)
    if budget is None:
        return
    yield {"year": year, "type": "totaal", "label": "Totaal budget", "programme": "", "planned": "",
           "actual": _amount(budget.total)}
    for line in budget.lines.all():
        yield {"year": year, "type": "post", "label": line.label,
               "programme": line.programme.name if line.programme else "",
               "planned": _amount(line.planned), "actual": _amount(line.actual)}
    for source in budget.funding_sources.all():
        yield {"year": year, "type": "financiering", "label": str(source), "programme": "", "planned": "",
               "actual": _amount(source.amount)}


def _address(link) -> str:
    """The address of a reference, or nothing when it is not known (the document names the reference only)."""
    return "" if is_placeholder_value(link.url) else link.url


def _link_rows(year):
    groups = _groups_in_year(year).values("pk")
    links = (
        Link.objects.visible_to(PUBLIC)
        .filter(Q(track_year__year=year) | Q(meeting__year=year) | Q(group__in=groups) | Q(budget__year=year))
        .select_related("track_year__track", "group", "meeting", "budget").order_by("pk")
    )
    for link in links:
        if link.track_year_id:
            owner_type, owner = "werkspoor", link.track_year.track.title
        elif link.group_id:
            owner_type, owner = "werkgroep", link.group.name
        elif link.budget_id:
            owner_type, owner = "budget", f"Budget {link.budget.year}"
        else:
            owner_type, owner = "activiteit", link.meeting.title
        yield {"year": year, "title": link.title, "url": _address(link), "kind": link.get_kind_display(),
               "owner_type": owner_type, "owner": owner}
    # References under the texts of that year's published editions (e.g. Communicatie).
    section_links = (
        SectionLink.objects.visible_to(PUBLIC).filter(section__edition__year=year)
        .select_related("section__edition").order_by("pk")
    )
    for link in section_links:
        yield {"year": year, "title": link.title, "url": _address(link), "kind": link.get_kind_display(),
               "owner_type": "editie", "owner": f"{link.section.edition} — {link.section.title}"}


@dataclass(frozen=True)
class Dataset:
    """One dataset of the open data: a CSV and a JSON file per year, and a dcat:Dataset in the catalogue
    (reports.exports.dcat). The fields after `rows` describe it there and have defaults, so a new
    dataset is one more entry below."""

    slug: str
    title: str
    description: str
    columns: tuple  # (name, meaning)
    rows: object  # callable(year) -> iterable of dicts
    keywords: tuple = ()  # dcat:keyword, besides the catalogue's own
    frequency: str = "ANNUAL"  # dct:accrualPeriodicity, from the EU frequency list
    # What a year's files are made from, for their dct:modified: (model, path to its year or None when a
    # change reaches every year); the history (django-simple-history) of its public rows says when.
    changes: tuple = ()


DATASETS = {
    d.slug: d for d in (
        Dataset("werksporen", "Werksporen",
                "De werksporen met een gepubliceerde tekst in het jaarplan of het jaarverslag van dat jaar.",
                (("year", "jaar"), ("programme", "programma waaronder het werkspoor dat jaar stond"),
                 ("number", "nummer in het jaarplan, bv. 1.3 (kan leeg zijn)"), ("title", "titel in dat jaar"),
                 ("kind", "soort: werkspoor, speerpunt, City Deal, project …"),
                 ("lead_cities", "trekkende steden, gescheiden door '; '"), ("cities", "deelnemende steden, gescheiden door '; '"),
                 ("partners", "partners, gescheiden door '; '"),
                 ("in_plan", "true als het werkspoor in het gepubliceerde jaarplan staat"),
                 ("in_report", "true als het werkspoor in het gepubliceerde jaarverslag staat"),
                 ("status", "lopend of afgerond (afgerond in of voor dat jaar)"), ("url", "pagina op deze site")),
                _track_rows, keywords=("werksporen", "projecten", "City Deals"),
                changes=((WorkTrackYear, "year"), (WorkTrack, None))),
        Dataset("teksten", "Teksten van jaarplannen en jaarverslagen",
                "De gepubliceerde tekst van elk werkspoor in het jaarplan en het jaarverslag van dat jaar.",
                (("year", "jaar"), ("edition", "jaarplan of jaarverslag"), ("programme", "programma waaronder het werkspoor dat jaar stond"),
                 ("number", "nummer in die editie, bv. 1.3 (kan leeg zijn)"), ("title", "titel in dat jaar"),
                 ("text", "de tekst zonder opmaak, een alinea per regel"), ("html", "de tekst met opmaak (HTML)"),
                 ("url", "pagina van het werkspoor op deze site")),
                _text_rows, keywords=("jaarplan", "jaarverslag", "beleidsteksten"), changes=((WorkTrackYear, "year"),)),
        Dataset("werkgroepen", "Werkgroepen",
                "Publieke werkgroepen die dat jaar aan het werk waren (opgericht en niet opgeheven, of met een jaarcijfer of activiteit van dat jaar), met het aantal bijeenkomsten.",
                (("year", "jaar"), ("name", "naam"), ("kind", "soort: werkgroep, stuurgroep, taskforce …"),
                 ("programme", "programma"), ("lead_city", "trekkende stad"),
                 ("cities", "deelnemende steden, gescheiden door '; '"), ("partners", "partners, gescheiden door '; '"),
                 ("frequency", "vergaderritme"),
                 ("meeting_count", "aantal bijeenkomsten dat jaar: het gerapporteerde aantal, anders de geregistreerde gehouden vergaderingen"),
                 ("url", "pagina op deze site")),
                _group_rows, keywords=("werkgroepen", "netwerken"), changes=((WorkingGroup, None), (Meeting, "year"))),
        Dataset("vergaderingen", "Vergaderingen en activiteiten",
                "Publieke vergaderingen en activiteiten van dat jaar, ook geplande, uitgestelde en geannuleerde.",
                (("id", "vaste sleutel van de activiteit"), ("year", "jaar"),
                 ("date", "datum zover gekend: JJJJ-MM-DD, JJJJ-MM of JJJJ"),
                 ("end_date", "laatste dag van een activiteit over meer dagen (JJJJ-MM-DD), anders leeg"),
                 ("date_precision", "nauwkeurigheid van de datum: day, month, period of year"),
                 ("period", "periode als de maand niet gekend is: begin, voorjaar, zomer, midden, najaar, eind"),
                 ("start_time", "beginuur (UU:MM, Brusselse tijd), als het gekend is"),
                 ("end_time", "einduur (UU:MM, Brusselse tijd), als het gekend is"),
                 ("date_text", "datum zoals geschreven, bv. 'najaar 2024' of '3 juni 2025, 14.00–16.00 uur'"), ("title", "titel"),
                 ("kind", "soort: vergadering, workshop, studiedag …"), ("status", "gepland, gehouden, uitgesteld of geannuleerd"),
                 ("new_date", "nieuwe datum van een uitgestelde activiteit, zover gekend (JJJJ-MM-DD, JJJJ-MM of JJJJ)"),
                 ("group", "werkgroep"), ("track", "werkspoor"), ("host_city", "gaststad"), ("place", "plaats")),
                _meeting_rows, keywords=("vergaderingen", "activiteiten", "agenda"), frequency="IRREG", changes=((Meeting, "year"),)),
        Dataset("resultaten", "Resultaten en externe financiering",
                "Resultaten van de werksporen: het doel uit het gepubliceerde jaarplan en wat het gepubliceerde jaarverslag "
                "als gerealiseerd meldt, en de externe financiering van werksporen en projecten die dat jaar liep.",
                (("year", "jaar"), ("type", "resultaat of externe financiering"), ("track", "werkspoor of project"),
                 ("label", "wat er geteld wordt"), ("unit", "eenheid als het geen aantal is: euro, %, …"),
                 ("target", "doel volgens het gepubliceerde jaarplan, punt als decimaalteken (leeg: geen doel gepubliceerd)"),
                 ("achieved", "gerealiseerd volgens het gepubliceerde jaarverslag, punt als decimaalteken; bij externe "
                              "financiering het bedrag in euro (leeg: niet gekend of nog niet gepubliceerd)"),
                 ("date", "datum van de realisatie (JJJJ-MM-DD), als die gekend is"),
                 ("key_figure", "true als het jaarverslag het als kerncijfer vermeldt"),
                 ("source", "bron van de externe financiering"), ("period", "looptijd van de externe financiering, bv. 2017-2024"),
                 ("note", "toelichting"), ("url", "pagina op deze site")),
                _result_rows, keywords=("resultaten", "doelen", "kerncijfers", "externe financiering"),
                changes=((Result, "track_year__year"), (WorkTrackYear, "year"), (ExternalFunding, None))),
        Dataset("budget", "Budget en afrekening",
                "Het totale budget, de posten (begroot en gerealiseerd) en de financieringsbronnen, zodra het jaarverslag gepubliceerd is.",
                (("year", "jaar"), ("type", "totaal, post of financiering"), ("label", "omschrijving"),
                 ("programme", "programma van de post (kan leeg zijn)"),
                 ("planned", "begroot bedrag in euro, punt als decimaalteken"),
                 ("actual", "gerealiseerd bedrag (bij financiering: het bedrag) in euro, punt als decimaalteken")),
                _budget_rows, keywords=("budget", "afrekening", "financiën"), changes=((Budget, "year"),)),
        Dataset("links", "Links",
                "Publieke verwijzingen naar rapporten, presentaties en websites bij de werksporen, werkgroepen en activiteiten van dat jaar, ook die waarvan het adres (nog) niet gekend is.",
                (("year", "jaar"), ("title", "wat je er vindt"), ("url", "adres; leeg als het niet gekend is"),
                 ("kind", "soort: rapport, presentatie, nota, website …"),
                 ("owner_type", "waar de link bij hoort: werkspoor, werkgroep, activiteit, budget of editie (een tekst van het jaarplan of jaarverslag)"), ("owner", "naam daarvan")),
                _link_rows, keywords=("rapporten", "documenten", "links"), frequency="IRREG",
                changes=((Link, None),)),
    )
}


def open_data_years() -> list[int]:
    """Years with published material, newest first."""
    years = set(Edition.objects.visible_to(PUBLIC).values_list("year", flat=True))
    years |= set(WorkTrackYear.objects.visible_to(PUBLIC).values_list("year", flat=True))
    return sorted(years, reverse=True)


def dataset_rows(slug: str, year: int) -> list[dict]:
    return list(DATASETS[slug].rows(year))


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a spreadsheet may safely open it.

    Text that starts like a formula ('=HYPERLINK(…)', '+', '-', '@', tab, carriage return) gets a
    leading apostrophe, as OWASP advises, so Excel and LibreOffice show it as text instead of running
    it. Numbers are written as they are; JSON keeps the original text.
    """
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def rows_to_csv(dataset: Dataset, rows) -> str:
    """UTF-8 with BOM so Excel shows é and ë; booleans as true/false like in the JSON."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(
        out, fieldnames=[name for name, _meaning in dataset.columns], lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL,
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()



def _last_changes(model, path) -> dict:
    """{year (or None): the latest recorded change} of the public rows of `model`, from its history."""
    history = model.history.filter(id__in=model.objects.visible_to(PUBLIC).values("pk")).order_by()
    if path is None:
        return {None: history.aggregate(latest=Max("history_date"))["latest"]}
    return dict(history.values(path).annotate(latest=Max("history_date")).values_list(path, "latest"))


def modified_dates(years) -> dict[str, dict[int, datetime.date]]:
    """{dataset slug: {year: the day that year's files last changed}}: the latest of the publication (or
    erratum) of that year's editions, which makes material public, and of the recorded changes to the
    public rows the dataset is made of (Dataset.changes). Never earlier than the truth; at worst a change
    to a row that does not end up in the file makes a day too recent. A year without either has no
    public data in that dataset and is left out."""
    published = defaultdict(list)
    for year, published_at, erratum in Edition.objects.visible_to(PUBLIC).values_list("year", "published_at", "erratum_date"):
        published[year] += [timezone.localdate(published_at) if published_at else None, erratum]
    changes = {}
    for dataset in DATASETS.values():
        for model, path in dataset.changes:
            if (model, path) not in changes:
                changes[model, path] = {
                    key: timezone.localdate(moment) for key, moment in _last_changes(model, path).items() if moment
                }
    found = {}
    for slug, dataset in DATASETS.items():
        found[slug] = {}
        for year in years:
            days = [day for day in published[year] if day]
            for model, path in dataset.changes:
                days.append(changes[model, path].get(None if path is None else year))
            days = [day for day in days if day]
            if days:
                found[slug][year] = max(days)
    return found


# The licences a Flemish catalogue offers, by URI, with the name a reader knows them by.
LICENCES = {
    "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0": "Modellicentie Gratis Hergebruik (versie 1.0)",
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 (publiek domein)",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 (publiek domein)",
}


def licence() -> tuple[str, str]:
    """(name, URI) of the open-data licence (DJANGO_OPEN_DATA_LICENCE)."""
    uri = settings.OPEN_DATA_LICENCE
    return LICENCES.get(uri, uri), uri
