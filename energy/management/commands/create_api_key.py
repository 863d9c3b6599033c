from django.core.management.base import BaseCommand, CommandError

from energy.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key and print it as the last line of output. Only its hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Who or what the key is for, e.g. 'mobile-app'")

    def handle(self, *args, name: str, **options) -> None:
        name = name.strip()
        max_length = ApiKey._meta.get_field("name").max_length
        if not name or len(name) > max_length:
            raise CommandError(f"NAME must be 1–{max_length} characters")
        key, raw_key = ApiKey.generate(name)
        self.stdout.write(f"Created API key {key.name!r} (prefix {key.prefix}). It is shown once, below; store it now.")
        self.stdout.write(raw_key)
