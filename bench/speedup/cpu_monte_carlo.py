# Stands for: a parameter sweep in a risk or queueing model: each parameter value gets its own Monte Carlo
# simulation, seeded per parameter so the results are reproducible however the sweep is scheduled.
import random
import statistics


def simulate_queue(arrival_rate, seed, customers=50_000):
    rng = random.Random(seed)
    clock = 0.0
    server_free_at = 0.0
    waits = []
    for _ in range(customers):
        clock += rng.expovariate(arrival_rate)
        start = max(clock, server_free_at)
        waits.append(start - clock)
        server_free_at = start + rng.expovariate(1.0)
    return statistics.fmean(waits), max(waits)


def main():
    rates = [0.30 + 0.04 * k for k in range(16)]
    results = []
    for index, rate in enumerate(rates):
        rng = random.Random(1000 + index)
        seed = rng.getrandbits(32)
        mean_wait, worst_wait = simulate_queue(rate, seed)
        results.append((round(rate, 2), round(mean_wait, 4), round(worst_wait, 4)))
    for row in results:
        print(*row)


if __name__ == "__main__":
    main()
