from django.core.management.base import BaseCommand
from django.db import transaction

from evaluation.seeds.accounts import (
    DEMO_USERS,
    OPERATORS,
    PASSWORD_ENV,
    PRODUCT_STAFF,
    demo_password,
    seed_groups,
    seed_users,
)
from evaluation.seeds.api_keys import seed_demo_key
from evaluation.seeds.benchmarks import seed_benchmarks
from evaluation.seeds.catalog import seed_catalog
from evaluation.seeds.councils import seed_councils
from evaluation.seeds.plans import PLANS, seed_plans
from evaluation.seeds.routing import TIERS, seed_routing
from evaluation.seeds.slots import seed_slots


class Command(BaseCommand):
    help = (
        "Load the demo plans, model catalog, slots, groups, users and API key. Idempotent: "
        "a re-run creates only what is missing and changes nothing that exists."
    )

    def handle(self, *args, **options) -> None:
        password, is_generated_password = demo_password()
        with transaction.atomic():
            plans_created = seed_plans()
            providers_created, models_created = seed_catalog()
            councils_created = seed_councils()
            slots = seed_slots()
            tiers_created = seed_routing()
            scenarios_created = seed_benchmarks()
            groups_created = seed_groups()
            users_created = seed_users(password)
            key, raw_key = seed_demo_key()

        # Printed only after the commit, so a key that is shown is a key that exists.
        self.stdout.write(f"Plans: {len(PLANS)} in the demo set, {plans_created} new.")
        self.stdout.write(f"Catalog: {providers_created} new providers, {models_created} new models, "
                          f"{councils_created} new councils.")
        self.stdout.write("Slots: " + ", ".join(f"{slot.name} → {slot.model.key}" for slot in slots))
        self.stdout.write(f"Tiers: {', '.join(t['name'] for t in TIERS)}; {tiers_created} new.")
        self.stdout.write(f"Benchmark scenarios: {scenarios_created} new.")
        self.stdout.write(f"Groups: {OPERATORS}, {PRODUCT_STAFF}; new: {', '.join(groups_created) or 'none'}")
        roles = ", ".join(f"{user.username} ({user.group or 'superuser'})" for user in DEMO_USERS)
        self.stdout.write(f"Users: {roles}; new: {', '.join(users_created) or 'none'}")
        if not users_created:
            self.stdout.write("The demo users exist; their password was shown when they were created "
                              "(`manage.py changepassword NAME` sets a new one).")
        elif is_generated_password:
            self.stdout.write(f"The password below is shown once ({PASSWORD_ENV} is not set; set it to choose one).")
            self.stdout.write(f"Password of new users: {password}")
        else:
            self.stdout.write(f"Password of new users: the value of {PASSWORD_ENV}")
        if raw_key is None:
            self.stdout.write(
                f"The demo API key exists (prefix {key.prefix}); its secret was shown when it was created. "
                "`manage.py create_api_key NAME` makes a new one."
            )
        else:
            self.stdout.write("The API key below is shown once; only its hash is stored.")
            self.stdout.write(f"API key: {raw_key}")
