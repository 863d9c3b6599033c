"""`manage.py engine`: run the inference engine in the foreground (bin/serve starts it)."""

import os

from django.core.management.base import BaseCommand

from energy.engine.process import command, environment


class Command(BaseCommand):
    help = "Run the inference engine (llama.cpp's llama-server) on ENGINE_HOST:ENGINE_PORT."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, help="instead of ENGINE_PORT")

    def handle(self, *args, port=None, **options):
        argv = command(port=port)
        self.stdout.write(f"Inference engine: {' '.join(argv)}")
        self.stdout.flush()
        # Replaced, not a child: signals from bin/serve reach the engine itself.
        os.execve(argv[0], argv, environment())
