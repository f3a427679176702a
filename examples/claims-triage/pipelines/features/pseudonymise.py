"""Replaces direct identifiers by keyed hashes before features are built."""
import hashlib
import hmac


def pseudonymise(value: str, key: bytes) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]
