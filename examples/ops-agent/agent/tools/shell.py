"""Runs a diagnostic command chosen by the model (kubectl, curl, dig) in the ops sandbox."""
import shlex
import subprocess

ALLOWED = {"kubectl", "curl", "dig"}


def run(command: str) -> str:
    argv = shlex.split(command)
    if not argv or argv[0] not in ALLOWED:
        return "refused"
    return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
