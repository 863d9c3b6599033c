"""API clients authenticate with `Authorization: Bearer <key>`; only the key's hash is stored.

A key works while it is active, unexpired and its user (if any) is active; each operation also
needs a scope of the key (`ApiKeyAuth(scope)`): a key made to ask for recommendations cannot
switch models, whatever its user may do.

Once the key is known, its request is counted against the key's limits (energy.rate_limits):
beyond them it is refused with 429 (RateLimited); requests without a valid key count for no key."""

from datetime import timedelta

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from energy import rate_limits
from energy.local_copies import LocalCopy
from energy.models import ApiKey, hash_api_key

# Writing last_used_at on every request would put a write on the hot path; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# Keys seen by this process, by hash, filled as requests present them: any save or delete of a key
# or a user empties it in every process within a recheck (a revocation, a deactivated user).
KNOWN_KEYS: LocalCopy[dict[str, ApiKey]] = LocalCopy("api-keys", dict)


class ApiKeyAuth(HttpBearer):
    """`metered`: the operation counts against the key's daily quota (asking for a recommendation)."""

    def __init__(self, scope: str = "read", *, metered: bool = False):
        super().__init__()
        if scope not in ApiKey.SCOPES:
            raise ValueError(f"unknown API key scope {scope!r}")
        self.scope = scope
        self.metered = metered

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
        standing = await sync_to_async(rate_limits.check)(key, metered=self.metered)
        if standing is not None:
            setattr(request, rate_limits.STANDING_ATTRIBUTE, standing)  # its headers go on the response
            if standing.refused_by:
                raise rate_limits.RateLimited(standing)
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            key.last_used_at = now
            await ApiKey.objects.filter(pk=key.pk).aupdate(last_used_at=now)
        return key
