import pytest

from tests.evaluation.ratings.items import client_for


@pytest.mark.django_db
def test_it_links_the_rating_pages_from_the_admin_index_for_raters_only(rita, nemo):
    assert 'href="/rate/"' in client_for(rita).get("/admin/").content.decode()
    assert 'href="/rate/"' not in client_for(nemo).get("/admin/").content.decode()
