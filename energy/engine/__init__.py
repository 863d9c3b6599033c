"""The inference engine: llama.cpp's `llama-server`, one process that owns the cores and serves
the embedded model to every web process and worker over its OpenAI-compatible HTTP API.

- `process`: the command line that starts it, from settings;
- `state`: what it is doing now (models, slots, queue, tokens/s), read over HTTP;
- `admission`: whether a call can start and finish within its request's deadline, and live
  requests before benchmarks and probes.

The adapter that calls it is `energy.llm.engine`.
"""
