"""How honest the automatic checks are (issue 15): the catch rate of the defect set.

    .venv/bin/python -m bench.defect_catch [--profiles 200] [--seed 15]

Each defect of the set (evaluation/benchmarks/defects.py, the catalogue the tests use) is
planted alone into the rules engine's answer for every standard-suite scenario and every random
customer where it fits, and the check it names must fail. False positives: correct answers (the
rules engine's) that fail any check, on the standard suite and on `--profiles` random customers
(evaluation/seeds/profiles.py). No database; prints a Markdown table for docs/ai-model-analysis.md.
"""

import argparse
import logging
import os
from random import Random

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from energy.pipeline.facts import compute_facts  # noqa: E402
from evaluation.benchmarks.defects import DEFECTS, correct_output, planted  # noqa: E402
from evaluation.benchmarks.quality import CHECKS  # noqa: E402
from evaluation.seeds.profiles import demo_offers, random_profile, standard_inputs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=200, help="random customers besides the standard suite")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    logging.getLogger("energy.perf").setLevel(logging.WARNING)  # one line per stage otherwise

    plans = demo_offers()
    standard = list(standard_inputs().values())
    profiles = [random_profile(Random(args.seed + n), plans) for n in range(args.profiles)]
    cases = {"standard": [], "random": []}
    for kind, inputs_list in (("standard", standard), ("random", profiles)):
        for inputs in inputs_list:
            cases[kind].append((compute_facts(inputs), correct_output(inputs)))

    print(f"Standard suite: {len(standard)} scenarios; random customers: {len(profiles)} (seed {args.seed}).\n")
    print("| defect | named check | caught (standard suite) | caught (random customers) |")
    print("|---|---|---|---|")
    for defect in DEFECTS:
        check = CHECKS[defect.check]
        tallies = []
        for kind in ("standard", "random"):
            spoiled = [(facts, planted(defect, facts, data)) for facts, data in cases[kind]]
            spoiled = [(facts, data) for facts, data in spoiled if data is not None]
            caught = sum(not check(facts, data).passed for facts, data in spoiled)
            tallies.append(f"{caught}/{len(spoiled)}")
        print(f"| {defect.name} | `{defect.check}` | {tallies[0]} | {tallies[1]} |")

    print("\n| correct answers | failing any check (false positives) |")
    print("|---|---|")
    for kind, label in (("standard", "standard suite"), ("random", "random customers")):
        failing = [facts for facts, data in cases[kind]
                   if not all(check(facts, data).passed for check in CHECKS.values())]
        print(f"| {label} | {len(failing)}/{len(cases[kind])} |")


if __name__ == "__main__":
    main()
