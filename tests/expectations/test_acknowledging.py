"""Reading and acknowledging a guideline: statements, scenario questions with retries,
the typed name, one acknowledgment whatever happens, and what changed."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from expectations.models import Acknowledgment
from expectations.publishing.workflows import guideline_revise
from onboarding.audit.models import AuditEvent
from onboarding.schools.models import Role
from tests import factories as f


def _urls(guideline):
    args = [guideline.school_id, guideline.pk]
    return {
        "detail": reverse("guideline_detail", args=args),
        "answers": reverse("guideline_answers", args=args),
        "confirm": reverse("guideline_confirm", args=args),
    }


def _answers(guideline, *, wrong: int = 0) -> dict:
    """Every statement ticked; every scenario answered right except the first `wrong`."""
    version = guideline.current_version
    data = {f"statement_{s.pk}": "on" for s in version.statements.all()}
    for i, scenario in enumerate(version.scenarios.all()):
        right = scenario.correct_choice
        data[f"scenario_{scenario.pk}"] = str(1 - right if i < wrong else right)
    return data


def _revise(guideline, principal, body, **changes):
    """Publish a new version with `body`, which asks everyone to acknowledge again
    unless `changes` say otherwise."""
    version = guideline.current_version
    guideline_revise(
        **{
            "guideline": guideline,
            "title": guideline.title,
            "target_roles": guideline.target_roles,
            "body": body,
            "state_rules": "",
            "statements": [s.text for s in version.statements.all()],
            "pass_mark": 100,
            "due_date": version.due_date,
            "join_window_days": 14,
            "requires_reacknowledgment": True,
            "change_note": "",
            "published_by": principal,
            **changes,
        }
    )


@pytest.fixture
def guideline(world):
    return f.published_guideline(school=world.school, statements=2, scenarios=3)


def test_staff_member_acknowledges_after_ticking_answering_and_typing_their_name(
    world, client_for, guideline
):
    client = client_for(world.staff)
    urls = _urls(guideline)
    page = client.get(urls["detail"])
    assert page.status_code == 200
    assert b"Check my answers" in page.content

    response = client.post(urls["answers"], _answers(guideline))
    assert response.status_code == 302 and response["Location"] == urls["confirm"]
    response = client.post(urls["confirm"], {"typed_name": world.staff.full_name.upper()})
    assert response.status_code == 302

    ack = Acknowledgment.objects.get(person=world.staff)
    assert ack.version == guideline.current_version
    assert ack.typed_name == world.staff.full_name.upper()
    assert ack.answers["score"] == 100
    assert len(ack.answers["scenarios"]) == 3
    assert AuditEvent.objects.filter(action="guideline.acknowledged", actor=world.staff).exists()
    page = client.get(urls["detail"]).content.decode()
    assert "You acknowledged version 1" in page
    # Their own answers stay visible to them.
    first = guideline.current_version.scenarios.first()
    assert f"{first.situation} You answered: <strong>School discipline</strong> (right)" in page


def test_a_missing_tick_keeps_the_reader_on_the_page(world, client_for, guideline):
    client = client_for(world.staff)
    data = _answers(guideline)
    first = guideline.current_version.statements.first()
    del data[f"statement_{first.pk}"]
    response = client.post(_urls(guideline)["answers"], data)
    assert response.status_code == 200
    assert b"Tick this statement to go on." in response.content
    assert client.get(_urls(guideline)["confirm"]).status_code == 302
    assert not Acknowledgment.objects.exists()


def test_a_wrong_answer_shows_the_explanation_and_allows_a_retry(world, client_for, guideline):
    client = client_for(world.staff)
    urls = _urls(guideline)
    response = client.post(urls["answers"], _answers(guideline, wrong=1))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not quite." in content
    assert "A broken class rule is for the school to handle." in content
    assert "the pass mark is 100%" in content
    # Without passing, there is nothing to confirm.
    assert client.post(urls["confirm"], {"typed_name": world.staff.full_name}).status_code == 302
    assert not Acknowledgment.objects.exists()

    assert client.post(urls["answers"], _answers(guideline))["Location"] == urls["confirm"]
    client.post(urls["confirm"], {"typed_name": world.staff.full_name})
    assert Acknowledgment.objects.get(person=world.staff).answers["attempts"] == 2


def test_a_pass_mark_below_100_lets_one_wrong_answer_through(world, client_for):
    guideline = f.published_guideline(school=world.school, scenarios=4, pass_mark=75)
    client = client_for(world.staff)
    response = client.post(_urls(guideline)["answers"], _answers(guideline, wrong=1))
    assert response.status_code == 302


def test_the_typed_name_must_be_the_persons_own(world, client_for, guideline):
    client = client_for(world.staff)
    urls = _urls(guideline)
    client.post(urls["answers"], _answers(guideline))
    response = client.post(urls["confirm"], {"typed_name": "Somebody Else"})
    assert response.status_code == 200
    assert b"This is not the name on your account." in response.content
    assert not Acknowledgment.objects.exists()


def test_a_double_submit_creates_one_acknowledgment(world, client_for, guideline):
    client = client_for(world.staff)
    urls = _urls(guideline)
    client.post(urls["answers"], _answers(guideline))
    session = client.session
    answers = dict(session.items())
    first = client.post(urls["confirm"], {"typed_name": world.staff.full_name})
    # The second click arrives with the same session state as the first.
    session = client.session
    session.update(answers)
    session.save()
    second = client.post(urls["confirm"], {"typed_name": world.staff.full_name})
    assert first.status_code == second.status_code == 302
    assert Acknowledgment.objects.filter(person=world.staff).count() == 1
    assert AuditEvent.objects.filter(action="guideline.acknowledged").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submits_create_exactly_one_acknowledgment():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serializes every write, so threads cannot race; run with a "
            "PostgreSQL DATABASE_URL (the sequential double submit is tested above)."
        )
    from tests.world import build_world

    world = build_world()
    guideline = f.published_guideline(school=world.school, statements=2, scenarios=2)
    urls = _urls(guideline)
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(world.staff, backend="django.contrib.auth.backends.ModelBackend")
        assert client.post(urls["answers"], _answers(guideline)).status_code == 302
        clients.append(client)
    barrier = threading.Barrier(20)
    statuses = []

    def submit(client):
        try:
            barrier.wait()
            response = client.post(urls["confirm"], {"typed_name": world.staff.full_name})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 20
    assert Acknowledgment.objects.filter(person=world.staff).count() == 1
    assert AuditEvent.objects.filter(action="guideline.acknowledged").count() == 1


def test_staff_do_not_see_guidelines_for_other_roles(world, client_for):
    for_counselors = f.published_guideline(school=world.school, target_roles=[Role.MENTAL_HEALTH])
    assert client_for(world.staff).get(_urls(for_counselors)["detail"]).status_code == 404
    assert client_for(world.counselor).get(_urls(for_counselors)["detail"]).status_code == 200
    listing = client_for(world.staff).get(reverse("guidelines", args=[world.school.pk]))
    assert for_counselors.title.encode() not in listing.content


def test_the_officer_reads_the_published_guidelines_but_does_not_acknowledge(
    world, client_for, guideline
):
    client = client_for(world.sro)
    listing = client.get(reverse("guidelines", args=[world.school.pk]))
    assert guideline.title.encode() in listing.content
    page = client.get(_urls(guideline)["detail"])
    assert page.status_code == 200
    assert b"Check my answers" not in page.content


def test_another_schools_guideline_is_not_found(world, client_for):
    elsewhere = f.published_guideline(school=world.other_school)
    url = reverse("guideline_detail", args=[world.school.pk, elsewhere.pk])
    assert client_for(world.principal).get(url).status_code == 404


def test_a_district_wide_guideline_reaches_every_school_of_the_district(world, client_for):
    guideline = f.published_guideline(school=None, district=world.district)
    url = reverse("guideline_detail", args=[world.school.pk, guideline.pk])
    assert client_for(world.staff).get(url).status_code == 200


def test_a_new_version_that_needs_acknowledging_shows_what_changed(world, client_for, guideline):
    client = client_for(world.staff)
    urls = _urls(guideline)
    client.post(urls["answers"], _answers(guideline))
    client.post(urls["confirm"], {"typed_name": world.staff.full_name})
    _revise(
        guideline,
        world.principal,
        guideline.current_version.body.replace("**not**", "**never**")
        + "\n\nCall the office <first>.",
        due_date=timezone.localdate() + timezone.timedelta(days=7),
        change_note="Clearer wording.",
    )
    page = client.get(urls["detail"]).content.decode()
    assert "What changed since you acknowledged version 1" in page
    assert "[removed: </span>**not**" in page
    assert "[added: </span>**never**" in page
    assert "&lt;first&gt;" in page  # escaped, never markup
    # The old acknowledgment no longer counts; a new one is needed.
    guideline.refresh_from_db()
    client.post(urls["answers"], _answers(guideline))
    client.post(urls["confirm"], {"typed_name": world.staff.full_name})
    assert Acknowledgment.objects.filter(person=world.staff).count() == 2


def test_a_new_version_without_reacknowledgment_keeps_the_old_one_counting(
    world, client_for, guideline
):
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    _revise(
        guideline,
        world.principal,
        guideline.current_version.body + "\n\nA typo fixed.",
        requires_reacknowledgment=False,
    )
    page = client_for(world.staff).get(_urls(guideline)["detail"]).content.decode()
    assert "You acknowledged version 1" in page
    assert "What changed" not in page


def test_the_guideline_page_shows_markdown_and_strips_scripts_and_script_links(world, client_for):
    guideline = f.published_guideline(
        school=world.school,
        body="# Title\n\n### Part\n\n| Who | Does |\n|---|---|\n| Teacher | Discipline |\n\n"
        "[the policy](https://example.org/policy) [x](javascript:alert(1))\n\n"
        '<script>alert(2)</script> <img src=x onerror="alert(3)"> **bold**\n\n- one\n- two',
    )
    html = client_for(world.staff).get(_urls(guideline)["detail"]).content.decode()
    # The page has its own <h1>: the text's top heading becomes an <h2>.
    assert "<h2>Title</h2>" in html and "<h3>Part</h3>" in html
    assert "<h1>Title" not in html
    assert "<th>Who</th>" in html and "<td>Discipline</td>" in html
    assert '<a href="https://example.org/policy" rel="noopener noreferrer">the policy</a>' in html
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert "javascript:" not in html
    assert "<script>alert" not in html
    assert "onerror" not in html


def test_what_changed_marks_a_rewritten_phrase_once_and_escapes_both_texts(
    world, client_for, guideline
):
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    body = guideline.current_version.body
    assert "is **not** part of" in body
    _revise(guideline, world.principal, body.replace("is **not** part of", "never takes <part> in"))
    html = client_for(world.staff).get(_urls(guideline)["detail"]).content.decode()
    diff = html.partition('id="guideline-diff">')[2].partition("</div>")[0]
    assert (
        '<del><span class="visually-hidden">[removed: </span>is **not** part of'
        '<span class="visually-hidden">]</span></del>'
        '<ins><span class="visually-hidden">[added: </span>never takes &lt;part&gt; in'
        '<span class="visually-hidden">]</span></ins>'
    ) in diff
    assert "<part>" not in html


def test_a_change_of_spacing_alone_is_not_a_change_of_wording(world, client_for, guideline):
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    _revise(guideline, world.principal, guideline.current_version.body.replace(" ", "  "))
    html = client_for(world.staff).get(_urls(guideline)["detail"]).content.decode()
    assert "What changed since you acknowledged version 1" in html
    assert "The wording did not change" in html
    assert 'id="guideline-diff"' not in html
