# The API tests moved to tests/evaluation/catalog and tests/evaluation/slots; key_headers lives in
# tests/conftest.py. Kept only for modules that still import it from here.
from tests.conftest import key_headers

__all__ = ["key_headers"]
