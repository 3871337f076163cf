"""The district's readiness table as a CSV file, built by the worker (onboarding/exports)."""

import csv
import io

from django.utils.text import slugify

from onboarding.readiness.district import district_table
from sro_portal.text import csv_cell


def readiness_filename(district) -> str:
    return f"readiness-{slugify(district.name)}.csv"


def readiness_csv(district, sort: str) -> str:
    table = district_table([district.pk], sort)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["School", "Readiness", "Required lines done", *table.csv_headers])
    for row in table.rows:
        overall = row.overall
        values = [row.school.name, overall.state_label]
        values.append(f"{overall.done_count}/{overall.required_count}")
        values += [value for _, cell in row.cells for value in cell.csv]
        writer.writerow([csv_cell(value) for value in values])
    return out.getvalue()
