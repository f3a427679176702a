"""Asks the on-call engineer in Slack before any write action; times out to 'no'."""
def approve(question: str) -> bool:
    return False
