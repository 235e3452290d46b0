# Stands for: an iterative solver (here, repeated relaxation over a grid of cells) whose step function loops
# over the cells; the step is called by a `while` loop until the values converge, so a pool created inside
# the step function would be started on every iteration.
import math


def relax_cell(values, k):
    left = values[k - 1] if k > 0 else values[k]
    right = values[k + 1] if k + 1 < len(values) else values[k]
    total = 0.0
    for j in range(2000):
        total += math.sin(left * j) * 1e-4 + math.cos(right * j) * 1e-4
    return 0.5 * (left + right) + total


def step(values):
    updated = []
    for k in range(len(values)):
        updated.append(relax_cell(values, k))
    return updated


def main():
    values = [math.sin(k) for k in range(200)]
    iterations = 0
    change = 1.0
    while change > 1e-3 and iterations < 20:
        new_values = step(values)
        change = max(abs(a - b) for a, b in zip(new_values, values))
        values = new_values
        iterations += 1
    print(iterations, round(change, 6), [round(v, 6) for v in values[:5]])


if __name__ == "__main__":
    main()
