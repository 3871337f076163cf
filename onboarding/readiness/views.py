"""The district's readiness table as a CSV file."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.text import slugify

from onboarding import access
from onboarding.readiness.district import district_table
from sro_portal.text import csv_cell


@login_required
def district_readiness_csv(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    table = district_table([district.pk], request.GET.get("sort", "name"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="readiness-{slugify(district.name)}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["School", "Readiness", "Required lines done", *table.csv_headers])
    for row in table.rows:
        overall = row.overall
        values = [row.school.name, overall.state_label]
        values.append(f"{overall.done_count}/{overall.required_count}")
        values += [value for _, cell in row.cells for value in cell.csv]
        writer.writerow([csv_cell(value) for value in values])
    return response
