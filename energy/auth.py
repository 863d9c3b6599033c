"""API clients authenticate with `Authorization: Bearer <key>`; only the key's hash is stored."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from energy.models import ApiKey, hash_api_key

# Writing last_used_at on every request would put a write on the hot path; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyAuth(HttpBearer):
    async def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = await ApiKey.objects.select_related("user").filter(key_hash=hash_api_key(token), active=True).afirst()
        if key is None:
            return None
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            await ApiKey.objects.filter(pk=key.pk).aupdate(last_used_at=now)
        return key
