"""One process pool start-up, run as __main__ by scripts/calibrate.ts (so spawned workers re-import it).

`python3 pool_startup.py WORKERS METHOD` prints {"wall": s, "childrenCpu": s, "parentCpu": s, "trackerCpu": s}:
the wall time of the `with` block below (start the workers, one trivial task each, shut down and join them),
the CPU time of the joined workers (getrusage of the reaped children), this process's own CPU time over the
block, and the CPU time of the resource tracker that spawn starts beside the first worker (one more
interpreter per program; it lives until the program ends, so it is stopped and reaped here to be counted).
"""

import json
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context, resource_tracker


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
    parent = cpu_seconds(resource.RUSAGE_SELF) - parent_before
    workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - children_before
    resource_tracker._resource_tracker._stop()  # private, but the only way to reap the tracker and count it
    tracker = cpu_seconds(resource.RUSAGE_CHILDREN) - children_before - workers_cpu
    print(json.dumps({'wall': wall, 'childrenCpu': workers_cpu, 'parentCpu': parent, 'trackerCpu': tracker}))
