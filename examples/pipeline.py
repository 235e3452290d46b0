"""A small data pipeline with one parallelizable loop per rule (run it: python3 examples/pipeline.py)."""
import asyncio
import hashlib
import os
import tempfile
import time


def key_strength(password):
    """CPU-bound: a deliberately slow key derivation."""
    return hashlib.pbkdf2_hmac("sha256", password.encode(), b"pipeline", 20_000).hex()[:12]


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def derive_keys(passwords):
    keys = []
    for password in passwords:  # PAR101: CPU-bound, one result per item
        keys.append(key_strength(password))
    return keys


def longest_chain(numbers):
    total = 0
    best = 0
    for n in numbers:  # PAR102: CPU-bound work feeding reductions
        steps = collatz_steps(n)
        total += steps
        best = max(best, steps)
    return total, best


def chain_table(numbers):
    return [collatz_steps(n) for n in numbers]  # PAR103: comprehension over CPU-bound work


def read_reports(paths):
    reports = []
    for path in paths:  # PAR201: blocking file I/O
        with open(path) as f:
            reports.append(f.read().strip())
    return reports


def slow_lookup(name):
    time.sleep(0.05)  # a network round trip, say
    return name.upper()


def lookup_all(names):
    found = {}
    for name in names:  # PAR201: blocking waits
        found[name] = slow_lookup(name)
    return found


async def fetch_price(item):
    await asyncio.sleep(0.05)
    return len(item) * 10


async def price_all(items):
    prices = []
    for item in items:  # PAR202: each await waits for the previous one
        prices.append(await fetch_price(item))
    return prices


def running_balance(amounts):
    balance = 0
    history = []
    for amount in amounts:  # not parallel: `balance` is carried from one iteration to the next
        balance += amount
        history.append(balance)
    return history


def main():
    passwords = [f"secret-{i}" for i in range(8)]
    print("keys:", derive_keys(passwords)[:3])
    numbers = list(range(1, 30_000))
    print("collatz total/best:", longest_chain(numbers))
    print("chain table head:", chain_table(numbers)[:10])
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(4):
            path = os.path.join(tmp, f"report{i}.txt")
            with open(path, "w") as f:
                f.write(f"report {i}\n")
            paths.append(path)
        print("reports:", read_reports(paths))
    print("lookups:", lookup_all(["ada", "grace", "linus"]))
    print("prices:", asyncio.run(price_all(["tea", "coffee", "cocoa"])))
    print("balance:", running_balance([5, -2, 7, 1]))


if __name__ == "__main__":
    main()
