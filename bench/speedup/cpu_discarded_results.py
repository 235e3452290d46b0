# Stands for: a CPU benchmark or warm-up that runs the same pure-Python computation several times and keeps
# nothing but the time it took (the values are dropped).
import time


def fib(n):
    return n if n < 2 else fib(n - 2) + fib(n - 1)


def main():
    start = time.perf_counter()
    for _ in range(20):
        fib(25)
    elapsed = time.perf_counter() - start
    print("done", elapsed > 0)


if __name__ == "__main__":
    main()
