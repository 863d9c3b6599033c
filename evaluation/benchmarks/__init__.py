"""The benchmark pages under /admin/benchmarks/: start a run, watch it, compare runs, and the
decision matrix from which an operator promotes a model into a slot, behind gates."""
