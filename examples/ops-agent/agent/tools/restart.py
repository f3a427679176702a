"""Restarts an ops-* deployment after the on-call engineer approves in Slack."""
def restart(deployment: str, approve) -> str:
    if not deployment.startswith("ops-") or not approve(f"restart {deployment}?"):
        return "cancelled"
    return f"restarted {deployment}"
