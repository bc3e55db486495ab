def register_blocks() -> None:
    pass
