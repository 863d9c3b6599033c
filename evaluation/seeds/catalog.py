"""The seed model catalog (DESIGN.md, "Seed catalog"), as data, and the function that loads it.

Prices are USD per million input / output tokens as the providers published them in 2025;
`notes` says where a figure is not the provider's own list price. A remote model starts
disabled unless its provider's secret is in the environment when it is first seeded; a
re-seed never flips a status an operator has set since.
"""

from energy.env import envstr
from evaluation.models import AIModel, Provider

# fmt: off
PROVIDERS: list[dict] = [
    {
        "name": "workers-ai", "kind": Provider.Kind.CLOUDFLARE,
        "base_url": "https://api.cloudflare.com/client/v4",
        # Not a secret, but it varies per account, so it is read from the environment.
        "account_id_env": "CLOUDFLARE_ACCOUNT_ID",
        "secret_env": "CLOUDFLARE_API_TOKEN", "read_timeout_s": 8,
    },
    {
        "name": "openrouter", "kind": Provider.Kind.OPENAI_COMPATIBLE,
        "base_url": "https://openrouter.ai/api/v1", "secret_env": "OPENROUTER_API_KEY",
    },
    # The inference engine on this host (ENGINE_URL); it decodes ENGINE_SLOTS requests at once and
    # queues the rest, and admission keeps that queue within each request's deadline.
    {"name": "local", "kind": Provider.Kind.LLAMA_CPP},
    {"name": "builtin", "kind": Provider.Kind.RULES},
]

CHAT = AIModel.PromptStyle.CHAT

MODELS: list[dict] = [
    {
        "key": "workers-ai/llama-3.3-70b-instruct-fp8-fast", "provider": "workers-ai",
        "provider_model": "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        "display_name": "Llama 3.3 70B Instruct fp8 fast (Workers AI)", "context_window": 24000,
        "price_input_per_mtok": "0.293", "price_output_per_mtok": "2.253", "prompt_style": CHAT,
    },
    {
        "key": "workers-ai/llama-3.1-8b-instruct-fast", "provider": "workers-ai",
        "provider_model": "@cf/meta/llama-3.1-8b-instruct-fast",
        "display_name": "Llama 3.1 8B Instruct fast (Workers AI)", "context_window": 128000,
        "price_input_per_mtok": "0.045", "price_output_per_mtok": "0.384", "prompt_style": CHAT,
    },
    {
        "key": "workers-ai/mistral-7b-instruct", "provider": "workers-ai",
        "provider_model": "@cf/mistral/mistral-7b-instruct-v0.2-lora",
        "display_name": "Mistral 7B Instruct v0.2 (Workers AI)", "context_window": 15000,
        "price_input_per_mtok": "0.11", "price_output_per_mtok": "0.19", "prompt_style": CHAT,
        "notes": (
            "Cloudflare publishes no separate price for the v0.2 LoRA base model; $0.11 / $0.19 "
            "per M tokens is its published price for @cf/mistral/mistral-7b-instruct-v0.1."
        ),
    },
    {
        "key": "workers-ai/gemma-3-12b-it", "provider": "workers-ai",
        "provider_model": "@cf/google/gemma-3-12b-it",
        "display_name": "Gemma 3 12B IT (Workers AI)", "context_window": 80000,
        "price_input_per_mtok": "0.345", "price_output_per_mtok": "0.556", "prompt_style": CHAT,
    },
    {
        "key": "openrouter/gpt-4o-mini", "provider": "openrouter",
        "provider_model": "openai/gpt-4o-mini",
        "display_name": "GPT-4o mini (OpenRouter)", "context_window": 128000,
        "price_input_per_mtok": "0.15", "price_output_per_mtok": "0.60", "prompt_style": CHAT,
    },
    {
        "key": "openrouter/claude-3.5-haiku", "provider": "openrouter",
        "provider_model": "anthropic/claude-3.5-haiku",
        "display_name": "Claude 3.5 Haiku (OpenRouter)", "context_window": 200000,
        "price_input_per_mtok": "0.80", "price_output_per_mtok": "4.00", "prompt_style": CHAT,
    },
    {
        "key": "openrouter/gemini-1.5-flash", "provider": "openrouter",
        "provider_model": "google/gemini-flash-1.5",
        "display_name": "Gemini 1.5 Flash (OpenRouter)", "context_window": 1000000,
        "price_input_per_mtok": "0.075", "price_output_per_mtok": "0.30", "prompt_style": CHAT,
    },
    {
        "key": "openrouter/llama-3.3-70b-instruct", "provider": "openrouter",
        "provider_model": "meta-llama/llama-3.3-70b-instruct",
        "display_name": "Llama 3.3 70B Instruct (OpenRouter)", "context_window": 131072,
        "price_input_per_mtok": "0.13", "price_output_per_mtok": "0.40", "prompt_style": CHAT,
        "notes": (
            "OpenRouter's price for this model follows the upstream provider it routes to and "
            "has moved between about $0.04 and $0.13 input / $0.12 and $0.40 output per M; "
            "$0.13 / $0.40 is the upper end. Check openrouter.ai before comparing costs."
        ),
    },
    {
        "key": "openrouter/mistral-small", "provider": "openrouter",
        "provider_model": "mistralai/mistral-small",
        "display_name": "Mistral Small (OpenRouter)", "context_window": 32000,
        "price_input_per_mtok": "0.20", "price_output_per_mtok": "0.60", "prompt_style": CHAT,
    },
    {
        "key": "local/gemma-3-270m", "provider": "local",
        "provider_model": "gemma-3-270m-q4_k_m.gguf", "aliases": ["gemma-3-270m"],
        "display_name": "Gemma 3 270M Q4_K_M (embedded)", "quantization": "Q4_K_M",
        "context_window": 32768, "parameters": {"n_ctx": 2048},
        "price_input_per_mtok": "0", "price_output_per_mtok": "0",
        "prompt_style": AIModel.PromptStyle.COMPLETION,
        "stage_settings": {
            "usage_summary": {"max_tokens": 40, "temperature": 0.0, "stop": ["\n"]},
            "plan_scoring": {"max_tokens": 16, "temperature": 0.0, "stop": ["\n"]},
            "narrative": {"max_tokens": 48, "temperature": 0.0, "stop": ["\n"]},
        },
        "notes": "A base model with no chat template: it is prompted with few-shot completions, one line per answer.",
    },
    {
        "key": "builtin/rules", "provider": "builtin", "provider_model": "rules", "aliases": ["rules"],
        "display_name": "Rules engine (deterministic)",
        "price_input_per_mtok": "0", "price_output_per_mtok": "0",
        "prompt_style": AIModel.PromptStyle.RULES,
    },
]
# fmt: on

# Runnable offline candidates for the benchmarks: the embedded model in other configurations of
# the inference engine's requests (prompt style, grammar, token limits), so the decision matrix
# shows real trade-offs on this machine. Threads belong to the engine process, not to a request:
# ENGINE_THREADS, measured by bench/engines.py (the one-thread candidate was retired, migration 0010).
_GEMMA = next(m for m in MODELS if m["key"] == "local/gemma-3-270m")
_CHAT_SETTINGS = {
    "usage_summary": {"max_tokens": 60, "temperature": 0.0},
    "plan_scoring": {"max_tokens": 60, "temperature": 0.0},
    "narrative": {"max_tokens": 160, "temperature": 0.0},
}
LOCAL_CANDIDATES = [
    {**_GEMMA, "key": "local/gemma-3-270m-chat-json", "aliases": [], "prompt_style": CHAT, "stage_settings": _CHAT_SETTINGS,
     "display_name": "Gemma 3 270M, chat prompts with JSON answers",
     "notes": "The naive approach: chat-style prompts asking for JSON, no grammar. A base model mostly fails it."},
    {**_GEMMA, "key": "local/gemma-3-270m-json-grammar", "aliases": [], "prompt_style": CHAT,
     "stage_settings": _CHAT_SETTINGS, "parameters": {"n_ctx": 2048, "json_grammar": True},
     "display_name": "Gemma 3 270M, chat prompts, grammar-constrained JSON",
     "notes": "The engine constrains decoding to a JSON object (a grammar): always parseable, several times slower per token."},
    {**_GEMMA, "key": "local/gemma-3-270m-short", "aliases": [],
     "display_name": "Gemma 3 270M, few-shot, short answers",
     "stage_settings": {"usage_summary": {"max_tokens": 24, "temperature": 0.0, "stop": ["\n"]},
                        "plan_scoring": {"max_tokens": 12, "temperature": 0.0, "stop": ["\n"]},
                        "narrative": {"max_tokens": 28, "temperature": 0.0, "stop": ["\n"]}},
     "notes": "Tighter token limits: faster, but answers cut short fail validation more often."},
    {**_GEMMA, "key": "local/gemma-3-270m-short-whys", "aliases": [], "parameters": {"n_ctx": 2048, "why_shape": "short"},
     "display_name": "Gemma 3 270M, few-shot, shorter whys",
     "notes": "The narrative's examples state the same facts in fewer words (about a fifth fewer tokens per why)."},
]
MODELS = MODELS + LOCAL_CANDIDATES


def seed_catalog() -> tuple[int, int]:
    """Create the missing providers and models; return how many of each were created."""
    providers: dict[str, Provider] = {}
    providers_created = 0
    for data in PROVIDERS:
        fields = dict(data)
        name = fields.pop("name")
        account_id_env = fields.pop("account_id_env", "")
        if account_id_env:
            fields["account_id"] = envstr(account_id_env)
        providers[name], created = Provider.objects.get_or_create(name=name, defaults=fields)
        providers_created += created

    models_created = 0
    for data in MODELS:
        fields = dict(data)
        key = fields.pop("key")
        provider = providers[fields.pop("provider")]
        # Decided at creation only: enabling a model whose secret is missing would make
        # every request through it fail over; an operator enables it once the secret is set.
        status = AIModel.Status.ENABLED if provider.secret_configured else AIModel.Status.DISABLED
        _, created = AIModel.objects.get_or_create(key=key, defaults={**fields, "provider": provider, "status": status})
        models_created += created
    return providers_created, models_created
