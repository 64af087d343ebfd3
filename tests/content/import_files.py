"""Builders for import files used by the import and admin tests."""

import csv
import io

from openpyxl import Workbook

QUOTE_A = (
    "Experts and practitioners from the development field were addressed to participate to the Conference "
    "held in Rome on 29-30 November 2012"
)
QUOTE_B = "prosecution to stop impunity of perpetrators"

HEADER = ["slug", "title", "summary", "source", "section", "quote", "practice_type", "basis", "rating_reason",
          "pillars", "regions", "countries", "articles", "target_groups", "themes", "status"]  # fmt: skip


def practice_row(slug, **changes):
    row = {
        "slug": slug,
        "title": f"Imported practice {slug}",
        "summary": "What the imported practice does, in the curator's words.",
        "source": "rome-2012-report",
        "section": "B",
        "quote": QUOTE_B,
        "practice_type": "policy",
        "basis": "recommended",
        "rating_reason": "Recommended: participants proposed it and nobody is described doing it.",
        "pillars": "prosecution; promotion",
        "regions": "europe|sub-saharan-africa",
        "countries": "SN",
        "articles": "38",
        "target_groups": "children",
        "themes": "",
        "status": "",
    }
    return row | changes


def csv_bytes(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict):
    """{sheet title: [row dicts]} -> an .xlsx workbook."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        header = list(rows[0])
        sheet.append(header)
        for row in rows:
            sheet.append([row[column] for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
