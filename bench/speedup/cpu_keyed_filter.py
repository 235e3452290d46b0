# Stands for: scoring a batch of documents keyed by their name, skipping the ones a cheap test rules out, and
# sorting the scores into two tables by the result (a filter before the work, keyed results, results collected
# in both branches). Each score is pure-Python work of tens of milliseconds.


def score(size):
    total = 0
    for i in range(size):
        total = (total * 31 + i * i) % 1_000_003
    return total


def main():
    docs = [(f"doc-{k:02d}", 250_000 + 5_000 * k) for k in range(24)]
    high = {}
    low = {}
    for name, size in docs:
        if name.endswith("0"):
            continue
        s = score(size)
        if s > 500_000:
            high[name.upper()] = s
        else:
            low[name.upper()] = s
    print(sorted(high.items())[:3])
    print(len(high), len(low), sum(high.values()) + sum(low.values()))


if __name__ == "__main__":
    main()
