from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from energy.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key and print it as the last line of output. Only its hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Who or what the key is for, e.g. 'mobile-app'")
        parser.add_argument("--user", help="Username the key acts for (its permissions apply, e.g. to switch slots)")

    def handle(self, *args, name: str, user: str | None = None, **options) -> None:
        name = name.strip()
        max_length = ApiKey._meta.get_field("name").max_length
        if not name or len(name) > max_length:
            raise CommandError(f"NAME must be 1–{max_length} characters")
        owner = None
        if user:
            owner = get_user_model().objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"no user named {user!r}")
        key, raw_key = ApiKey.generate(name, user=owner)
        self.stdout.write(f"Created API key {key.name!r} (prefix {key.prefix}). It is shown once, below; store it now.")
        self.stdout.write(raw_key)
