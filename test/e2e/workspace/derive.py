"""Opened by the editor tests: one CPU-bound loop with independent iterations (PAR101), and a hash chain whose
iterations depend on each other (not reported; its hover says why)."""
import hashlib


def key_strength(password):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), b"editor", 400_000).hex()[:12]


def derive_keys(passwords):
    keys = []
    for password in passwords:
        keys.append(key_strength(password))
    return keys


def stretch(password, rounds):
    digest = password
    for _ in range(rounds):
        digest = key_strength(digest)
    return digest


if __name__ == "__main__":
    print(derive_keys([f"password-{i}" for i in range(16)]))
    print(stretch("password", 3))
