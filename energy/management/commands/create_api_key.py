from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from energy.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key and print it as the last line of output. Only its hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Who or what the key is for, e.g. 'mobile-app'")
        parser.add_argument("--user", help="Username the key acts for (its permissions apply, e.g. to switch slots)")
        parser.add_argument("--scopes", help=f"Comma-separated, of {', '.join(ApiKey.SCOPES)}; default: every scope "
                                             f"for a key with --user, else {', '.join(ApiKey.USERLESS_SCOPES)}")
        parser.add_argument("--expires-in-days", type=float, help="The key stops working after this many days")
        for option, setting in (("--rate-per-minute", "API_KEY_RATE_PER_MINUTE"),
                                ("--daily-quota", "API_KEY_DAILY_QUOTA"), ("--max-queued", "API_KEY_MAX_QUEUED")):
            parser.add_argument(option, type=int, help=f"The key's own limit (default: {setting}); 0: none")

    def handle(self, *args, name: str, user: str | None = None, scopes: str | None = None,
               expires_in_days: float | None = None, **options) -> None:
        limits = {field: options.get(field) for field in ("rate_per_minute", "daily_quota", "max_queued")
                  if options.get(field) is not None}
        for field, value in limits.items():
            if value < 0:
                raise CommandError(f"--{field.replace('_', '-')} must be 0 (no limit) or more")
        name = name.strip()
        max_length = ApiKey._meta.get_field("name").max_length
        if not name or len(name) > max_length:
            raise CommandError(f"NAME must be 1–{max_length} characters")
        owner = None
        if user:
            owner = get_user_model().objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"no user named {user!r}")
        chosen = None
        if scopes is not None:
            chosen = tuple(scope.strip() for scope in scopes.split(",") if scope.strip())
            unknown = set(chosen) - set(ApiKey.SCOPES)
            if unknown or not chosen:
                raise CommandError(f"--scopes: {', '.join(sorted(unknown)) or 'none given'}; "
                                   f"choose from {', '.join(ApiKey.SCOPES)}")
            if owner is None and set(chosen) - set(ApiKey.USERLESS_SCOPES):
                raise CommandError("--scopes: a key without --user can only have recommend and read")
        if expires_in_days is not None and expires_in_days <= 0:
            raise CommandError("--expires-in-days must be positive")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        key, raw_key = ApiKey.generate(name, user=owner, scopes=chosen, expires_at=expires_at, **limits)
        self.stdout.write(f"Created API key {key.name!r} (prefix {key.prefix}, scopes: {key.scopes}"
                          f"{f', expires {key.expires_at:%Y-%m-%d %H:%M} UTC' if key.expires_at else ''}). "
                          "It is shown once, below; store it now.")
        self.stdout.write(raw_key)
