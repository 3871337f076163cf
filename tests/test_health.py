from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("sro_portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_forbidden_page_explains_itself(client_for, world):
    response = client_for(world.staff).get(reverse("people", args=[world.school.pk]))
    assert response.status_code == 403
    assert "Your role at this school does not include this page" in response.content.decode()


def test_a_server_error_shows_a_page_without_touching_the_database(rf):
    from sro_portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
