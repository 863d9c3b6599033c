"""How honest the automatic checks are (issue 15): the catch rate of the defect set.

    .venv/bin/python -m bench.defect_catch [--profiles 200] [--seed 15]

Each defect of the set (evaluation/benchmarks/defects.py, the catalogue the tests use) is
planted alone into the rules engine's answer for every standard-suite scenario and every random
customer where it fits, and the check it names must fail. False positives: correct answers (the
rules engine's) that fail any check. No database; prints the section of docs/ai-model-analysis.md
that `export_model_report` writes (evaluation.benchmarks.report.defect_set).
"""

import argparse
import logging
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from evaluation.benchmarks.defects import catch_rates  # noqa: E402
from evaluation.benchmarks.report import DEFECT_PROFILES, DEFECT_SEED, defect_set  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=DEFECT_PROFILES, help="random customers besides the standard suite")
    parser.add_argument("--seed", type=int, default=DEFECT_SEED)
    args = parser.parse_args()
    logging.getLogger("energy.perf").setLevel(logging.WARNING)  # one line per stage otherwise
    print(defect_set(catch_rates(profiles=args.profiles, seed=args.seed)))


if __name__ == "__main__":
    main()
