"""The agreement's texts as people read them: Markdown made safe on the agreement,
sign and print pages, and word-level changes on the compare and conflict pages
(the pipeline of sro_portal/text.py, shared with the staff guidelines)."""

from django.urls import reverse

from onboarding.agreements import workflows
from tests import factories as f

MARKDOWN = """\
# A heading

## Another

| Who | Does |
|-----|------|
| Teacher | Discipline |

See [the policy](https://example.org/policy) and [this](javascript:alert(1)).

<script>alert(2)</script> <img src=x onerror="alert(3)"> **kept**

- one
- two
"""


def _url(name, agreement, **extra):
    return reverse(
        name, kwargs={"school_id": agreement.school_id, "agreement_id": agreement.pk, **extra}
    )


def _agreement(world, status="draft"):
    return f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status=status,
        sections=f.SHORT_SECTIONS,
    )


def _save(agreement, actor, key, body, title=None):
    section = agreement.current_version.sections.get(key=key)
    workflows.agreement_save_section(
        agreement=agreement,
        key=key,
        title=title or section.title,
        body=body,
        base_version=agreement.current_version.number,
        actor=actor,
    )
    agreement.refresh_from_db()


def _assert_safe_markdown(html: str) -> None:
    # A section's headings sit under the section's own title (an h3).
    assert "<h3>A heading</h3>" in html and "<h3>Another</h3>" in html
    assert "<h1>A heading" not in html and "<h2>Another" not in html
    assert "<th>Who</th>" in html and "<td>Discipline</td>" in html
    assert '<a href="https://example.org/policy" rel="noopener noreferrer">the policy</a>' in html
    assert "<li>one</li>" in html and "<strong>kept</strong>" in html
    assert "javascript:" not in html
    assert "<script>alert" not in html
    assert "onerror" not in html


def test_the_agreement_page_shows_tables_lists_and_links_and_strips_scripts(world, client_for):
    agreement = _agreement(world)
    _save(agreement, world.principal, "purpose", MARKDOWN)
    page = client_for(world.principal).get(_url("agreement_detail", agreement))
    _assert_safe_markdown(page.content.decode())


def test_the_print_view_and_the_preview_render_the_same_way(world, client_for):
    agreement = _agreement(world)
    _save(agreement, world.principal, "purpose", MARKDOWN)
    client = client_for(world.principal)
    _assert_safe_markdown(client.get(_url("agreement_print", agreement)).content.decode())
    preview = client.post(
        _url("agreement_section_add", agreement),
        {"title": "Parking", "body": MARKDOWN, "preview": "1"},
    )
    # Past the form, which shows the text as typed.
    _assert_safe_markdown(preview.content.decode().partition('id="preview-heading"')[2])


def test_the_compare_page_marks_a_rewritten_phrase_as_one_removal_and_one_addition(
    world, client_for
):
    agreement = _agreement(world)
    _save(
        agreement,
        world.principal,
        "purpose",
        "A calm and welcoming school where students trust adults.",
        title="Purpose",
    )
    html = client_for(world.principal).get(_url("agreement_compare", agreement)).content.decode()
    assert "<del>safe</del>" in html
    assert "<ins>calm and welcoming</ins>" in html
    # A changed title shows on both sides, marked; the heading shows the new one.
    assert "<strong>Purpose<del> and goals</del></strong>" in html
    assert "<strong>Purpose</strong>" in html
    # Unchanged sections are listed by their title, unmarked.
    assert "<li>No role in school discipline</li>" in html


def test_a_conflict_marks_the_visitors_text_against_the_saved_one(world, client_for):
    agreement = _agreement(world)
    base = agreement.current_version.number
    _save(agreement, world.district_admin, "purpose", "A safe school for <all>.")
    response = client_for(world.principal).post(
        _url("agreement_section_edit", agreement, key="purpose"),
        {"title": "Purpose and goals", "body": "A safe school for everyone.", "base_version": base},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "A safe school for &lt;all&gt;." in html  # the saved text, escaped
    assert "A safe school for <ins>everyone.</ins>" in html
