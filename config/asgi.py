import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()  # sets Django up: the imports below need its apps

from django.conf import settings  # noqa: E402

from config.middleware import run_hooks_on_the_loop  # noqa: E402
from config.sync_threads import SyncThreads  # noqa: E402
from energy.shutdown import StoppingAnswers503  # noqa: E402

run_hooks_on_the_loop()
application = StoppingAnswers503(SyncThreads(django_application, settings.SYNC_THREADS))
