"""Batch scoring: writes only a review flag per claim, never the score; logs each run's counts."""
def flag(score: float) -> bool:
    return score >= 0.7
