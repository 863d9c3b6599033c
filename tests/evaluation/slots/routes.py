"""The routing tests' helper: a chain as the keys of its models, in order."""


def keys(chain) -> list[str]:
    return [model.key for model in chain]
