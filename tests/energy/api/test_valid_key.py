import pytest

from energy.models import ApiKey


@pytest.mark.django_db(transaction=True)
async def test_it_serves_a_valid_key_and_notes_when_it_was_used(async_client, api_key, auth_headers, plans):
    key, _ = api_key

    response = await async_client.get("/api/v1/plans", headers=auth_headers)

    assert response.status_code == 200
    assert (await ApiKey.objects.aget(pk=key.pk)).last_used_at is not None
