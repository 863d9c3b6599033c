import os

from django.core.asgi import get_asgi_application

from energy.shutdown import StoppingAnswers503

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = StoppingAnswers503(get_asgi_application())
