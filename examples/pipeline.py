"""A small data pipeline with one parallelizable loop per rule (run it: python3 examples/pipeline.py)."""
import asyncio
import hashlib
import os
import random
import tempfile
import time


def key_strength(password):
    """CPU-bound: a deliberately slow key derivation."""
    return hashlib.pbkdf2_hmac("sha256", password.encode(), b"pipeline", 300_000).hex()[:12]


def random_walk(seed):
    """CPU-bound: 50,000 steps of a walk driven by a generator of its own."""
    rng = random.Random(seed)
    position = 0
    for _ in range(50_000):
        position += 1 if rng.random() < 0.5 else -1
    return position


def derive_keys(passwords):
    keys = []
    for password in passwords:  # PAR101: CPU-bound, one result per item
        keys.append(key_strength(password))
    return keys


def walk_summary(seeds):
    total = 0
    best = 0
    for seed in seeds:  # PAR102: CPU-bound work feeding reductions
        end = random_walk(seed)
        total += end
        best = max(best, end)
    return total, best


def walk_table(seeds):
    return [random_walk(seed) for seed in seeds]  # PAR103: comprehension over CPU-bound work


def read_reports(paths):
    reports = []
    for path in paths:  # not reported: four small files take microseconds, less than starting threads
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
    print("walks total/best:", walk_summary(list(range(200))))
    print("walk table head:", walk_table(list(range(1000, 1200)))[:10])
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, f"report{i}.txt") for i in range(4)]
        for i, path in enumerate(paths):
            with open(path, "w") as f:
                f.write(f"report {i}\n")
        print("reports:", read_reports(paths))
    print("lookups:", lookup_all(["ada", "grace", "linus"]))
    print("prices:", asyncio.run(price_all(["tea", "coffee", "cocoa"])))
    print("balance:", running_balance([5, -2, 7, 1]))


if __name__ == "__main__":
    main()
