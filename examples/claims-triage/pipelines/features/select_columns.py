"""Keeps only the columns the model needs (data minimisation)."""
FEATURES = ["claim_amount", "days_since_policy_start", "prior_claims", "region", "birth_year"]


def select(rows):
    return [{k: r[k] for k in FEATURES} for r in rows]
