from decimal import Decimal

import pytest

from evaluation.catalog.routes import active_route, get_model


@pytest.mark.django_db
def test_it_seeds_the_catalog_so_aliases_and_routes_resolve(seed_demo):
    seed_demo()

    gemma = get_model("gemma-3-270m")
    assert gemma.key == "local/gemma-3-270m"
    assert (gemma.provider.kind, gemma.prompt_style, gemma.quantization) == ("llama_cpp", "completion", "Q4_K_M")
    assert gemma.stage_settings["plan_scoring"] == {"max_tokens": 16, "temperature": 0.0, "stop": ["\n"]}
    assert get_model("rules").key == "builtin/rules"
    llama = get_model("workers-ai/llama-3.3-70b-instruct-fp8-fast")
    assert (llama.price_input_per_mtok, llama.price_output_per_mtok) == (Decimal("0.293"), Decimal("2.253"))
    assert [ref.key for ref in active_route("fast").chain("narrative")] == ["local/gemma-3-270m", "builtin/rules"]
