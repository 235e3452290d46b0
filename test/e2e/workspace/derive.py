"""Opened by the editor tests: one CPU-bound loop with independent iterations (PAR101)."""
import hashlib


def key_strength(password):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), b"editor", 400_000).hex()[:12]


def derive_keys(passwords):
    keys = []
    for password in passwords:
        keys.append(key_strength(password))
    return keys


if __name__ == "__main__":
    print(derive_keys([f"password-{i}" for i in range(16)]))
