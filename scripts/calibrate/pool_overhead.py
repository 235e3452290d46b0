"""Per-task, per-item and per-byte costs of ProcessPoolExecutor.map, run as __main__ by scripts/calibrate.ts.

`python3 pool_overhead.py WORKERS REPEATS` starts one spawn pool, warms it, then per repetition times, in the
parent (wall clock, so whatever the parent, its feeder and management threads and the workers cannot overlap
on this machine's cores is counted):
  a. list(map(identity, range(2,000), chunksize=1))       -> 2,000 items in 2,000 tasks
  b. list(map(identity, range(200,000), chunksize=10,000)) -> 200,000 items in 20 tasks
  c. list(map(size_of, [1 MB bytes] * 32, chunksize=1))    -> 32 tasks carrying 32 MB
and solves t = items * perItem + tasks * perChunk from a and b (two equations, two unknowns), then
perByte = (c - 32 * perChunk) / 32 MB. Prints {"perItem": [...], "perChunk": [...], "perByte": [...]}.
"""

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def identity(x):
    return x


def size_of(data):
    return len(data)


def timed_map(executor, function, items, chunksize):
    start = time.perf_counter()
    list(executor.map(function, items, chunksize=chunksize))
    return time.perf_counter() - start


if __name__ == '__main__':
    workers, repeats = int(sys.argv[1]), int(sys.argv[2])
    small_items, small_tasks = 2_000, 2_000
    large_items, large_chunk = 200_000, 10_000
    large_tasks = large_items // large_chunk
    payload_bytes, payload_count = 1_000_000, 32
    payload = os.urandom(payload_bytes)
    result = {'perItem': [], 'perChunk': [], 'perByte': []}
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context('spawn')) as executor:
        timed_map(executor, identity, range(200), 1)
        timed_map(executor, identity, range(20_000), 1_000)
        timed_map(executor, size_of, [payload] * 4, 1)
        for _ in range(repeats):
            many_tasks = timed_map(executor, identity, range(small_items), 1)
            few_tasks = timed_map(executor, identity, range(large_items), large_chunk)
            payloads = timed_map(executor, size_of, [payload] * payload_count, 1)
            determinant = small_items * large_tasks - large_items * small_tasks
            per_item = (many_tasks * large_tasks - few_tasks * small_tasks) / determinant
            per_chunk = (small_items * few_tasks - large_items * many_tasks) / determinant
            result['perItem'].append(per_item)
            result['perChunk'].append(per_chunk)
            result['perByte'].append((payloads - payload_count * per_chunk) / (payload_count * payload_bytes))
    print(json.dumps(result))
