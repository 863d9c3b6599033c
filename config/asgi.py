import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from config.sync_threads import SyncThreads
from energy.shutdown import StoppingAnswers503

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = StoppingAnswers503(SyncThreads(get_asgi_application(), settings.SYNC_THREADS))
