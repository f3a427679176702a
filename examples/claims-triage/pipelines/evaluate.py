"""Nightly evaluation: refuses to promote a model whose recall on the hold-out set drops below 0.80."""
THRESHOLD = 0.80


def gate(recall: float) -> bool:
    return recall >= THRESHOLD
