import pytest

from energy.models import ApiKey
from evaluation.models import AIModel, Provider

# Nothing listens on the discard port: the connection is refused at once, so the probe fails fast.
UNREACHABLE_BASE_URL = "http://127.0.0.1:9/v1"


def key_headers(user) -> dict[str, str]:
    _, raw = ApiKey.generate(f"{user.get_username()}'s key", user=user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def operator_headers(operator) -> dict[str, str]:
    """An API key that acts for the operator."""
    return key_headers(operator)


@pytest.fixture
def staff_headers(staff) -> dict[str, str]:
    """An API key that acts for a product-staff user."""
    return key_headers(staff)


@pytest.fixture
def unreachable_model() -> AIModel:
    """An enabled chat model whose server is down: it fails every live probe."""
    provider = Provider.objects.create(name="down", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url=UNREACHABLE_BASE_URL,
                                       connect_timeout_s=1, read_timeout_s=1)
    return AIModel.objects.create(key="down/chat", display_name="Chat model on a server that is down", provider=provider,
                                  provider_model="chat", prompt_style=AIModel.PromptStyle.CHAT)
