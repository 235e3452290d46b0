# Stands for: a numeric job split into blocks (here, counting primes in consecutive ranges of integers),
# where each block is pure Python arithmetic with no shared state.


def count_primes(lo, hi):
    count = 0
    for n in range(max(lo, 2), hi):
        if n % 2 == 0:
            count += n == 2
            continue
        d = 3
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 2
        count += prime
    return count


def main():
    block = 25_000
    bounds = [(k * block, (k + 1) * block) for k in range(24)]
    counts = []
    for lo, hi in bounds:
        counts.append(count_primes(lo, hi))
    print(counts)
    print(sum(counts))


if __name__ == "__main__":
    main()
