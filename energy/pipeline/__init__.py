"""The three-stage recommendation pipeline: usage summary → plan scoring → narrative.

`run_pipeline(inputs, *, route, caller)` in orchestrator.py is the entry point. Nothing here
touches the database: plans arrive in the inputs and model calls go through `caller`.
"""
