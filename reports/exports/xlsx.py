"""The round of an edition as an Excel workbook, for the editorial team (never public: the admin serves it).

One row per text as the round page lists it; dates are date cells and counts numbers, so the
team can sort and filter the way they plan; the header stays in view and carries filters.
"""
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..round import RoundTable

COLUMNS = (  # (heading, width)
    ("Programma", 16), ("Tekst", 48), ("Auteur", 22), ("Nalezer", 22), ("Deadline", 12), ("Status", 20),
    ("Te laat", 9), ("Nalezing te laat", 9), ("Open opmerkingen", 11), ("Laatste wijziging", 18),
)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def round_workbook(table: RoundTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Ronde"
    book.properties.title = f"Ronde {table.edition}"
    sheet.append([heading for heading, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        text = row.text
        sheet.append([  # str(): titles and labels may be lazy translations; openpyxl writes plain strings only
            text.programme_label, str(text.title), _person(text.author), _person(text.reviewer), row.due,
            str(row.status_label), "ja" if row.late else "", "ja" if row.review_late else "", row.open_comments,
            timezone.localtime(row.last_change).replace(tzinfo=None) if row.last_change else None,  # Brussels time
        ])
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        cells[0].number_format = "DD-MM-YYYY"
    for cells in sheet.iter_rows(min_row=2, min_col=10, max_col=10):
        cells[0].number_format = "DD-MM-YYYY HH:MM"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
