"""Texts shown from Django's cache (sro_portal/text.py: `render_markdown_many`,
`word_diffs`): a page read from the cache is the page computed afresh, and a
changed text shows at the very next request (a kept value is keyed by its text, so
an edit never finds an old one)."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expectations.publishing.workflows import guideline_revise
from tests import factories as f

SCRIPTED = "**Kept** words.\n\n<script>alert(1)</script> [x](javascript:alert(2))"


def _page(client, url: str) -> tuple[str, list[str]]:
    """The page's HTML without what differs on every response (the CSRF token and
    the scripts' nonce), and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = re.sub(
        r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', "", response.content.decode()
    )
    return html, [query["sql"] for query in queries.captured_queries]


def _writes_to_the_cache(sql: list[str]) -> bool:
    return any("sro_portal_cache" in q and q.lstrip().startswith(("INSERT", "UPDATE")) for q in sql)


def _agreement(world):
    return f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        sections=f.SHORT_SECTIONS,
    )


def _agreement_url(name: str, agreement, **extra) -> str:
    return reverse(
        name, kwargs={"school_id": agreement.school_id, "agreement_id": agreement.pk, **extra}
    )


def _edit(client, agreement, key: str, body: str, title: str = "Purpose and goals"):
    agreement.refresh_from_db()
    response = client.post(
        _agreement_url("agreement_section_edit", agreement, key=key),
        {"title": title, "body": body, "base_version": agreement.current_version.number},
    )
    assert response.status_code == 302


# --- The agreement's sections ----------------------------------------------------


def test_the_agreement_page_read_from_the_cache_is_the_page_rendered_afresh(world, client_for):
    agreement = _agreement(world)
    client = client_for(world.principal)
    url = _agreement_url("agreement_detail", agreement)
    client.get(url)  # the first visit to a school stores it in the session
    cache.clear()
    computed, first = _page(client, url)
    kept, second = _page(client, url)
    assert _writes_to_the_cache(first)
    assert not _writes_to_the_cache(second)
    assert kept == computed


def test_an_edited_section_shows_at_the_next_request(world, client_for):
    agreement = _agreement(world)
    client = client_for(world.principal)
    url = _agreement_url("agreement_detail", agreement)
    before, _ = _page(client, url)
    assert "A safe school where students trust adults." in before
    _edit(client, agreement, "purpose", "A *calm* school.")
    after, _ = _page(client, url)
    assert "<p>A <em>calm</em> school.</p>" in after
    assert "A safe school where students trust adults." not in after


def test_scripts_stay_stripped_when_a_section_is_read_from_the_cache(world, client_for):
    agreement = _agreement(world)
    client = client_for(world.principal)
    _edit(client, agreement, "purpose", SCRIPTED)
    url = _agreement_url("agreement_detail", agreement)
    for html in (_page(client, url)[0], _page(client, url)[0]):
        assert "<strong>Kept</strong> words." in html
        assert "<script>alert" not in html and "javascript:" not in html


def test_the_print_view_and_the_sign_page_show_the_same_section_text(world, client_for):
    agreement = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        sections=f.SHORT_SECTIONS,
        status="signing",
    )
    detail, _ = _page(client_for(world.principal), _agreement_url("agreement_detail", agreement))
    printed, _ = _page(client_for(world.principal), _agreement_url("agreement_print", agreement))
    sign, _ = _page(client_for(world.principal), _agreement_url("agreement_sign", agreement))
    text = re.findall(r'<div class="agreement-text">(.*?)</div>', detail, re.S)
    assert text and all(section in printed and section in sign for section in text)


# --- The comparison --------------------------------------------------------------


def test_the_comparison_read_from_the_cache_is_the_comparison_computed_afresh(world, client_for):
    agreement = _agreement(world)
    client = client_for(world.principal)
    _edit(client, agreement, "purpose", "A calm and welcoming school where students trust adults.")
    url = _agreement_url("agreement_compare", agreement)
    client.get(url)
    cache.clear()
    computed, first = _page(client, url)
    kept, second = _page(client, url)
    assert _writes_to_the_cache(first)
    assert not _writes_to_the_cache(second)
    assert kept == computed
    assert "<ins>calm and welcoming</ins>" in kept


def test_a_new_version_shows_in_the_comparison_at_the_next_request(world, client_for):
    agreement = _agreement(world)
    client = client_for(world.principal)
    # The text as drafted with the latest version, whichever that is.
    url = (
        _agreement_url("agreement_compare", agreement) + f"?from={agreement.current_version.number}"
    )
    _edit(client, agreement, "purpose", "A calm school.")
    assert "A <ins>calm school.</ins>" in _page(client, url)[0]
    _edit(client, agreement, "purpose", "A quiet school.")
    html, _ = _page(client, url)
    assert "A <ins>quiet school.</ins>" in html
    assert "calm" not in html


# --- The guidelines --------------------------------------------------------------


def test_a_guideline_read_from_the_cache_is_the_guideline_rendered_afresh(world, client_for):
    guideline = f.published_guideline(school=world.school, body="# Rules\n\n" + SCRIPTED)
    client = client_for(world.staff)
    url = reverse("guideline_detail", args=[guideline.school_id, guideline.pk])
    client.get(url)
    cache.clear()
    computed, first = _page(client, url)
    kept, second = _page(client, url)
    assert _writes_to_the_cache(first)
    assert not _writes_to_the_cache(second)
    assert kept == computed
    assert "<h2>Rules</h2>" in kept and "<script>alert" not in kept


def test_a_revised_guideline_and_what_changed_show_at_the_next_request(world, client_for):
    guideline = f.published_guideline(school=world.school, body="Ask the office first.")
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    client = client_for(world.staff)
    url = reverse("guideline_detail", args=[guideline.school_id, guideline.pk])
    assert "<p>Ask the office first.</p>" in _page(client, url)[0]
    version = guideline.current_version
    guideline_revise(
        guideline=guideline,
        title=guideline.title,
        target_roles=guideline.target_roles,
        body="Ask the principal first.",
        state_rules="",
        statements=[s.text for s in version.statements.all()],
        pass_mark=100,
        due_date=version.due_date,
        join_window_days=14,
        requires_reacknowledgment=True,
        change_note="",
        published_by=world.principal,
    )
    html, _ = _page(client, url)
    assert "<p>Ask the principal first.</p>" in html
    assert "<p>Ask the office first.</p>" not in html
    assert "<del>" in html and "office" in html.partition('id="guideline-diff">')[2]


def test_one_text_keeps_its_headings_under_each_pages_own(world, client_for):
    # Kept apart: under a guideline page's <h1>, under an agreement section's <h3>.
    text = "# Who does what\n\nTeachers teach."
    guideline = f.published_guideline(school=world.school, body=text)
    agreement = _agreement(world)
    client = client_for(world.principal)
    _edit(client, agreement, "purpose", text)
    url = reverse("guideline_detail", args=[guideline.school_id, guideline.pk])
    assert "<h2>Who does what</h2>" in _page(client_for(world.staff), url)[0]
    client = client_for(world.principal)
    assert (
        "<h3>Who does what</h3>" in _page(client, _agreement_url("agreement_detail", agreement))[0]
    )
