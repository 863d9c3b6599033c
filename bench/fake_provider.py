"""The loopback OpenAI-compatible provider of tests/fakes/fault_server.py, in a process of its
own so that the bench client's work never competes with it for one interpreter.

    python -m bench.fake_provider --latency 0.2     # prints its base URL, serves until stdin closes

`provider(latency_s)` starts one from a bench and stops it after."""

import argparse
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@contextmanager
def provider(latency_s: float = 0.0) -> Iterator[str]:
    """The base URL (…/v1) of a fake provider answering every stage after `latency_s`."""
    process = subprocess.Popen([sys.executable, "-m", "bench.fake_provider", "--latency", str(latency_s)], cwd=BASE_DIR,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before every answer")
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    from tests.fakes.fault_server import FaultServer

    with FaultServer() as server:
        server.latency(args.latency)
        print(server.base_url, flush=True)
        sys.stdin.read()  # until the bench closes it


if __name__ == "__main__":
    main()
