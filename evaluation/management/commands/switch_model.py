from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from energy.problems import ClientError
from evaluation.catalog.routes import get_model
from evaluation.models import Slot
from evaluation.slots.actions import rollback_slot, switch_slot


class Command(BaseCommand):
    help = (
        "Switch the model serving a slot (or roll it back with --rollback), with the same checks and audit as "
        "the admin and the API. Without --user it acts as the shell operator."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slot", help="Slot name, e.g. fast")
        parser.add_argument("model_key", nargs="?", help="Catalog key or alias of the new model (omit with --rollback)")
        parser.add_argument("--reason", default="", help="Why; recorded in the audit trail (required to switch)")
        parser.add_argument("--force", action="store_true", help="Switch even if the model fails its live probe")
        parser.add_argument("--user", help="Act as this user, with their permissions")
        parser.add_argument("--rollback", action="store_true", help="Put back the model the slot had before")

    def handle(self, *args, slot: str, model_key: str | None, reason: str, force: bool, user: str | None,
               rollback: bool, **options) -> None:
        if rollback == bool(model_key):
            raise CommandError("give either MODEL_KEY or --rollback, not both or neither")
        if not Slot.objects.filter(name=slot).exists():
            names = ", ".join(Slot.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"there is no slot named {slot!r} (slots: {names})")
        acting_user = self.find_user(user) if user else None
        try:
            if rollback:
                change = rollback_slot(slot, acting_user=acting_user, reason=reason, force=force)
            else:
                change = switch_slot(slot, get_model(model_key), acting_user=acting_user, reason=reason, force=force)
        except (PermissionDenied, ClientError) as exc:
            raise CommandError(str(exc)) from exc
        forced = " (probe overridden)" if change.forced else ""
        self.stdout.write(f"{slot}: {change.from_model} -> {change.to_model}{forced}")

    def find_user(self, username: str):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"there is no user {username!r}") from exc
