"""What a person reads on the readiness pages, taken out of the HTML and the CSV."""

import csv
import html
import io
import re

from django.urls import reverse

from tests.onboarding.exports import flow

_LINE = re.compile(
    r'<tr data-line="(?P<key>\w+)">\s*<th scope="row">(?P<title>.*?)</th>\s*'
    r'<td><span class="badge [^"]*">(?P<state>[^<]*)</span></td>\s*'
    r"<td>(?P<summary>.*?)</td>\s*<td>(?P<missing>.*?)</td>\s*"
    r'<td><a href="(?P<url>[^"]*)">(?P<link>.*?)</a></td>',
    re.S,
)
_TAGS = re.compile(r"<[^>]+>")


def text(fragment: str) -> str:
    """A fragment of HTML as it reads: without its tags, on single spaces."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def dashboard(client, school) -> str:
    response = client.get(reverse("school_home", args=[school.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index('id="readiness"') :]


def lines(client, school) -> dict[str, dict[str, str]]:
    """{line key: {"title", "state", "summary", "missing", "url", "link"}} of the
    school's dashboard."""
    return {
        m["key"]: {name: html.unescape(value.strip()) for name, value in m.groupdict().items()}
        for m in _LINE.finditer(dashboard(client, school))
    }


def overall(client, school) -> str:
    """The dashboard's overall state ("Ready", "In progress", "Not started")."""
    found = re.search(r"data-readiness-state=\"\w+\">([^<]*)<", dashboard(client, school))
    return found.group(1)


def guideline_rows(client, school) -> dict[str, tuple[str, str]]:
    """{guideline title: (acknowledged, overdue)} of the dashboard's table by guideline."""
    page = dashboard(client, school)
    if "Acknowledgments by guideline" not in page:
        return {}
    table = page[page.index("Acknowledgments by guideline") :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S):
        cells = [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = (cells[1], cells[2])
    return rows


def principal_home(client) -> str:
    """The principal's home, from its readiness section on, as it reads."""
    body = client.get(reverse("home")).content.decode()
    return text(body[body.index('id="readiness-home"') :])


def district_table(client, sort: str | None = None) -> str:
    body = client.get(reverse("home"), {"sort": sort} if sort else {}).content.decode()
    return body[body.index('id="district-readiness"') :]


def district_row(client, school, sort: str | None = None) -> list[str]:
    """The cells of the school's row of the district table, as they read."""
    table = district_table(client, sort)
    start = table.rindex("<tr>", 0, table.index(f">{html.escape(school.name)}</a>"))
    row = table[start : table.index("</tr>", start)]
    return [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def district_csv(client, district, sort: str | None = None, *, again: bool = False):
    """The CSV as downloaded once the worker built it (`again`: built again rather
    than the one kept for the day)."""
    response = flow.district_csv(client, district, sort, again=again)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))
