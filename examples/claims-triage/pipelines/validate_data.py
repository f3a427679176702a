"""Checks each extract before training: schema, ranges, and label balance against last month."""
def validate(rows):
    return all(0 <= r["claim_amount"] < 10_000_000 for r in rows)
