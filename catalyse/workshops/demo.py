"""Demo boards: placeholder replaced below."""


def load() -> str:
    return "0 tableau"
