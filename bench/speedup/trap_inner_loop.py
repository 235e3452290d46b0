# Stands for: a time-stepped physics or game simulation: each of 2,000 steps depends on the previous state
# (sequential), and within a step a short loop updates 5 bodies with a small same-file function.
import math


def accelerate(position, velocity, dt):
    force = -4.0 * position - 0.1 * velocity + math.sin(position)
    for _ in range(500):
        force = force * 0.999 + 0.001 * math.cos(force)
    return velocity + force * dt


def main():
    positions = [1.0, 0.5, -0.3, 2.0, -1.5]
    velocities = [0.0] * 5
    dt = 0.005
    for _ in range(2_000):
        new_velocities = []
        for k in range(5):
            new_velocities.append(accelerate(positions[k], velocities[k], dt))
        velocities = new_velocities
        positions = [p + v * dt for p, v in zip(positions, velocities)]
    print([round(p, 6) for p in positions])
    print([round(v, 6) for v in velocities])


if __name__ == "__main__":
    main()
