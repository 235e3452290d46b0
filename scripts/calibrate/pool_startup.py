"""One process pool start-up, run as __main__ by scripts/calibrate.ts (so spawned workers re-import it).

`python3 pool_startup.py WORKERS METHOD` prints {"wall": s, "childrenCpu": s, "parentCpu": s}: the wall time
of the `with` block below (start the workers, one trivial task each, shut down and join them), the CPU time of
the joined workers (getrusage of the reaped children) and this process's own CPU time over the block.
"""

import json
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def identity(x):
    return x


def cpu_seconds(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


if __name__ == '__main__':
    workers, method = int(sys.argv[1]), sys.argv[2]
    context = get_context(method)
    children_before = cpu_seconds(resource.RUSAGE_CHILDREN)
    parent_before = cpu_seconds(resource.RUSAGE_SELF)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        list(executor.map(identity, range(workers)))
    wall = time.perf_counter() - start
    print(json.dumps({
        'wall': wall,
        'childrenCpu': cpu_seconds(resource.RUSAGE_CHILDREN) - children_before,
        'parentCpu': cpu_seconds(resource.RUSAGE_SELF) - parent_before,
    }))
