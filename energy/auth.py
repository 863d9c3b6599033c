"""API clients authenticate with `Authorization: Bearer <key>`; only the key's hash is stored.

A key works while it is active, unexpired and its user (if any) is active; each operation also
needs a scope of the key (`ApiKeyAuth(scope)`): a key made to ask for recommendations cannot
switch models, whatever its user may do."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from energy.local_copies import LocalCopy
from energy.models import ApiKey, hash_api_key

# Writing last_used_at on every request would put a write on the hot path; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# Keys seen by this process, by hash, filled as requests present them: any save or delete of a key
# or a user empties it in every process within a recheck (a revocation, a deactivated user).
KNOWN_KEYS: LocalCopy[dict[str, ApiKey]] = LocalCopy("api-keys", dict)


class ApiKeyAuth(HttpBearer):
    def __init__(self, scope: str = "read"):
        super().__init__()
        if scope not in ApiKey.SCOPES:
            raise ValueError(f"unknown API key scope {scope!r}")
        self.scope = scope

    async def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key_hash = hash_api_key(token)
        known = await KNOWN_KEYS.aget()
        key = known.get(key_hash)
        if key is None:
            key = await ApiKey.objects.select_related("user").filter(key_hash=key_hash).afirst()
            if key is None:
                return None
            known[key_hash] = key
        now = timezone.now()
        if not key.active or key.expired(now) or (key.user is not None and not key.user.is_active):
            return None
        if not key.has_scope(self.scope):
            raise PermissionDenied(f"API key {key.prefix}… does not have the '{self.scope}' scope this operation needs")
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            key.last_used_at = now
            await ApiKey.objects.filter(pk=key.pk).aupdate(last_used_at=now)
        return key
