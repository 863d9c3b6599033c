"""The bare address (and the admin's "View site" link) leads to the admin, not to a 404."""


def test_the_root_url_redirects_to_the_admin(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
