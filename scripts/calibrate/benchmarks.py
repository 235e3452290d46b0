"""Micro-benchmarks behind the cost model's constants, run by scripts/calibrate.ts.

`python3 benchmarks.py NAME` runs one group and prints one JSON object on stdout:
{KEY: {"samples": [seconds, ...], "unit": "s/...", "how": "one line: what was timed"}}.
Each sample is one repetition already reduced to the key's unit; calibrate.ts takes the median.
Loop bodies run inside a function (their variables are fast locals, as in real code) and the cost
of the empty loop, timed alternately with them, is subtracted.
`python3 benchmarks.py serve` is the HTTP server the `http` group talks to.
"""

import asyncio
import bz2
import hashlib
import http.server
import json
import lzma
import math
import os
import random
import re
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor

REPEATS = 7


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def identity(x):
    return x


# The globals loop bodies see: what a module under analysis would have imported or defined.
BODY_GLOBALS = {'Point': Point, 'f': identity, 'hashlib': hashlib}


# Work that runs on one core is timed in CPU time: on an idle machine that is its wall time, and a busy one
# (other processes queueing for the cores) does not inflate it. Start-ups of other programs count their CPU
# time too (the parent's and the reaped child's). Only what depends on other processes or threads being
# scheduled (thread pools, HTTP, sleep) is timed on the wall clock.

def timed(run, *args):
    """CPU time (user + system) of this process while `run` runs."""
    start = time.process_time()
    run(*args)
    return time.process_time() - start


def cpu_seconds_with_children():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_with_children(run, *args, **kwargs):
    """CPU time of this process and of the children it waited for while `run` runs."""
    start = cpu_seconds_with_children()
    run(*args, **kwargs)
    return cpu_seconds_with_children() - start


def wall_timed(run, *args):
    start = time.perf_counter()
    run(*args)
    return time.perf_counter() - start


def loop_function(body, setup='', iterable='range(n)'):
    lines = ['def run(n):']
    lines += ['    ' + line for line in setup.splitlines()]
    lines += [f'    for i in {iterable}:', f'        {body}']
    namespace = dict(BODY_GLOBALS)
    exec('\n'.join(lines), namespace)
    return namespace['run']


def per_operation(body, operations, n, setup='', baseline='pass'):
    """Seconds per operation of `body` beyond `baseline`, the two timed alternately."""
    run, base = loop_function(body, setup), loop_function(baseline, setup)
    run(n // 10)  # let the interpreter specialise both loops before timing them
    base(n // 10)
    samples = []
    for _ in range(REPEATS):
        samples.append((timed(run, n) - timed(base, n)) / (n * operations))
    return samples


CLOCKS = {'cpu': 'CPU time', 'cpu+children': 'CPU time of parent and child', 'wall': 'wall time'}


def measured(samples, unit, how, clock='cpu'):
    return {'samples': samples, 'unit': unit, 'how': f'{how}; {CLOCKS[clock]}'}


def sample_text(size):
    """English-like text: words from a 5,000-word vocabulary drawn with Zipf frequencies."""
    rng = random.Random(1)
    words = [''.join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(5000)]
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    lines, total = [], 0
    while total < size:
        line = ' '.join(rng.choices(words, cum_weights=cumulative, k=12)) + '.\n'
        lines.append(line)
        total += len(line)
    return ''.join(lines)[:size]


# ------------------------------------------------------------------------------------ interpreter

def bench_pyOp():
    setup = 'a, b, c, d = 1.5, 2.5, 3.5, 4.5\nitems = [1.0, 2.0, 3.0]\np = Point(1.0, 2.0)'
    body = 'x = a * b + c * d - items[1] + p.x'
    return {'pyOp': measured(
        per_operation(body, 7, 500_000, setup, baseline='x = a'), 's',
        f'`{body}` (float locals; 5 binary operators, 1 subscript, 1 attribute load) minus `x = a`, in a for loop, per operation')}


def bench_pyLoopTrip():
    n = 3_000_000
    over_range = loop_function('pass')
    over_list = loop_function('pass', 'items = [0] * n', iterable='items')
    over_range(n // 10)
    range_samples, list_samples = [], []
    for _ in range(REPEATS):
        range_samples.append(timed(over_range, n) / n)
        # the list is built inside the function: time it separately and subtract
        start = time.process_time()
        items = [0] * n
        build = time.process_time() - start
        del items
        list_samples.append((timed(over_list, n) - build) / n)
    return {
        'pyLoopTrip': measured(range_samples, 's', f'`for i in range(n): pass`, n = {n:,}, per iteration'),
        'pyLoopTripList': measured(list_samples, 's', f'`for i in items: pass` over a list of {n:,} ints, per iteration'),
    }


def bench_pyCall():
    return {'pyCall': measured(
        per_operation('f(i)', 1, 1_000_000), 's',
        '`f(i)` with `def f(x): return x` (a module-level function) in a for loop minus the empty loop, per call')}


def bench_stdlibPyCall():
    # methods of random.Random written in Python (random.py), called with a generator of the iteration's own
    setup = 'import random\nrng = random.Random(1)'
    body = 'rng.randint(1, 6); rng.uniform(0.0, 1.0); rng.expovariate(1.5); rng.choice(items)'
    return {'stdlibPyCall': measured(
        per_operation(body, 4, 200_000, setup + '\nitems = [1, 2, 3]'), 's',
        f'`{body}` in a for loop minus the empty loop, per call (standard-library functions written in Python)')}


def bench_builtinCall():
    body = 'len(s); str(i); s.upper()'
    return {'builtinCall': measured(
        per_operation(body, 3, 500_000, "s = 'hello world'"), 's',
        f"`{body}` with s = 'hello world' in a for loop minus the empty loop, per call")}


def bench_strFormat():
    body = "x = f'{i}:{s}'"
    return {'strFormat': measured(
        per_operation(body, 1, 500_000, "s = 'abc'"), 's',
        f"`{body}` (an int and a short str) in a for loop minus the empty loop, per f-string")}


# ----------------------------------------------------------------------------------- library calls

def bench_hashes():
    data = os.urandom(16 << 20)
    result = {}
    for name in ('sha256', 'md5', 'sha1', 'blake2b'):
        constructor = getattr(hashlib, name)
        constructor(data[:1 << 20]).digest()
        samples = [timed(lambda: constructor(data).digest()) / len(data) for _ in range(REPEATS)]
        result[f'{name}PerByte'] = measured(samples, 's/byte', f'hashlib.{name}(16 MiB of random bytes).digest(), per byte')
    return result


def bench_hashCall():
    body = 'hashlib.sha256(data).hexdigest()'
    return {'hashCall': measured(
        per_operation(body, 1, 200_000, "data = b'hello world'"), 's',
        f"`{body}` on 11 bytes in a for loop minus the empty loop, per call")}


def bench_compression():
    text = sample_text(4 << 20).encode()
    small = text[:1 << 20]
    packed = zlib.compress(text)
    ratio = len(text) / len(packed)
    prose = f'English-like text (5,000-word Zipf vocabulary; zlib ratio {ratio:.1f}:1)'

    def per_byte(run, data, repeats=REPEATS):
        run(data[:65536])
        return [timed(run, data) / len(data) for _ in range(repeats)]

    return {
        'zlibCompressPerByte': measured(per_byte(zlib.compress, text), 's/byte',
                                        f'zlib.compress (level 6) of 4 MiB of {prose}, per input byte'),
        'zlibDecompressPerByte': measured([timed(zlib.decompress, packed) / len(text) for _ in range(REPEATS)], 's/byte',
                                          'zlib.decompress of the same, per decompressed byte'),
        'bz2CompressPerByte': measured(per_byte(bz2.compress, small, 5), 's/byte',
                                       'bz2.compress (level 9) of 1 MiB of the same text, per input byte'),
        'lzmaCompressPerByte': measured(per_byte(lzma.compress, small, 5), 's/byte',
                                        'lzma.compress (preset 6) of 1 MiB of the same text, per input byte'),
    }


def bench_pbkdf2():
    iterations = 100_000
    hashlib.pbkdf2_hmac('sha256', b'password', b'salt', 1000)
    samples = [timed(hashlib.pbkdf2_hmac, 'sha256', b'password', b'salt', iterations) / iterations for _ in range(REPEATS)]
    return {'pbkdf2Sha256PerIteration': measured(
        samples, 's/iteration', f"hashlib.pbkdf2_hmac('sha256', password, salt, {iterations:,}), per iteration")}


def bench_regex():
    text = sample_text(2 << 20)
    words = re.compile(r'\w+')
    absent = re.compile(r'error \d+')
    words.findall(text[:65536])
    absent.search(text[:65536])
    return {
        'regexSearchPerChar': measured([timed(words.findall, text) / len(text) for _ in range(REPEATS)], 's/char',
                                       r"re.findall(r'\w+') over 2 MiB of English-like text (every word matched), per character"),
        'regexScanPerChar': measured([timed(absent.search, text) / len(text) for _ in range(REPEATS)], 's/char',
                                     r"re.search(r'error \d+') over the same text (no match: a full scan), per character"),
    }


def bench_json():
    records = [{'id': i, 'name': f'item{i}', 'price': i * 0.5, 'active': i % 2 == 0} for i in range(20_000)]
    scalars = 4 * len(records)
    encoded = json.dumps(records)
    json.loads(encoded)
    return {
        'jsonDumpsPerElement': measured([timed(json.dumps, records) / scalars for _ in range(REPEATS)], 's/element',
                                        'json.dumps of 20,000 dicts of 4 fields (int, str, float, bool), per scalar value'),
        'jsonLoadsPerByte': measured([timed(json.loads, encoded) / len(encoded) for _ in range(REPEATS)], 's/byte',
                                     f'json.loads of that text ({len(encoded) >> 10} KiB), per byte'),
    }


def bench_sort():
    n = 200_000
    rng = random.Random(2)
    values = [rng.random() for _ in range(n)]
    sorted(values)
    samples = [timed(sorted, values) / (n * math.log2(n)) for _ in range(REPEATS)]
    return {'sortPerElementLog2': measured(samples, 's', f'sorted() of {n:,} random floats divided by n·log2 n')}


def bench_numpy():
    # run by /usr/bin/python3 (calibrate.ts: the interpreter that has numpy)
    import numpy as np
    n = 4_000_000
    rng = np.random.default_rng(3)
    a = rng.standard_normal(n)
    rng.standard_normal(n // 10)
    np.exp(a[: n // 10])
    draws = [timed(rng.standard_normal, n) / n for _ in range(REPEATS)]
    ufuncs = [timed(lambda: np.exp(a * 0.01 + 1.0)) / (3 * n) for _ in range(REPEATS)]
    return {
        'numpyDrawPerElement': measured(draws, 's', f'`rng.standard_normal({n:,})` of a `numpy.random.default_rng()` Generator, per element drawn'),
        'numpyUfuncPerElement': measured(ufuncs, 's', f'`np.exp(a * 0.01 + 1.0)` on {n:,} float64 elements (three element-wise operations), per element and operation'),
    }


# ------------------------------------------------------------------------------ operating system

def bench_files():
    directory = tempfile.mkdtemp(prefix='calibrate-')
    payload = 'x' * 1023 + '\n'
    count = 1000
    try:
        source = os.path.join(directory, 'read.txt')
        with open(source, 'w') as out:
            out.write(payload)

        def read_all():
            for _ in range(count):
                with open(source) as handle:
                    handle.read()

        def write_all(prefix):
            for i in range(count):
                with open(os.path.join(directory, f'{prefix}-{i}.txt'), 'w') as handle:
                    handle.write(payload)

        read_all()
        reads, writes = [], []
        for repeat in range(REPEATS):
            reads.append(timed(read_all) / count)
            writes.append(timed(write_all, repeat) / count)
            for i in range(count):
                os.remove(os.path.join(directory, f'{repeat}-{i}.txt'))
    finally:
        shutil.rmtree(directory)
    return {
        'fileOpenRead': measured(reads, 's', '`with open(path) as f: f.read()` of a 1 KiB text file in the page cache (ext4 /tmp), per file'),
        'fileWrite': measured(writes, 's', "`with open(path, 'w') as f: f.write(1 KiB)` creating a new file (no fsync), per file"),
    }


def bench_subprocess():
    subprocess.run(['true'])
    samples = [timed_with_children(subprocess.run, ['true']) for _ in range(60)]
    return {'subprocessRun': measured(samples, 's', "subprocess.run(['true']), per call (60 calls)", 'cpu+children')}


def bench_interpreterStart():
    command = [sys.executable, '-c', 'pass']
    subprocess.run(command)
    samples = [timed_with_children(subprocess.run, command) for _ in range(21)]
    return {'interpreterStart': measured(
        samples, 's', f'subprocess.run([python3, "-c", "pass"]) from a parent process, python {sys.version.split()[0]} (21 runs)', 'cpu+children')}


# the libraries whose import a spawned worker repeats when the main module imports them (cost.ts, startupOf)
IMPORTS = (
    ('numpy', 'importNumpy'),
    ('pandas', 'importPandas'),
    ('scipy', 'importScipy'),
    ('sklearn', 'importSklearn'),
    ('matplotlib.pyplot', 'importPyplot'),
    ('cv2', 'importCv2'),
    ('PIL.Image', 'importPillow'),
    ('bs4', 'importBs4'),
    ('requests', 'importRequests'),
    ('openpyxl', 'importOpenpyxl'),
)


def bench_imports():
    python = '/usr/bin/python3'
    result = {}
    if not os.path.exists(python):
        return result
    for module, key in IMPORTS:
        probe = subprocess.run([python, '-c', f'import {module}'], capture_output=True)
        if probe.returncode != 0:
            continue
        samples = []
        for _ in range(REPEATS):
            with_import = timed_with_children(subprocess.run, [python, '-c', f'import {module}'], stdout=subprocess.DEVNULL)
            bare = timed_with_children(subprocess.run, [python, '-c', 'pass'], stdout=subprocess.DEVNULL)
            samples.append(with_import - bare)
        root = module.split('.')[0]
        version = subprocess.run([python, '-c', f'import {root}; print({root}.__version__)'], capture_output=True, text=True).stdout.strip()
        result[key] = measured(samples, 's', f'`{python} -c "import {module}"` ({module} {version}) minus `-c pass`: what a worker whose main module imports it adds to its start-up', 'cpu+children')
    return result


# ------------------------------------------------------------------------------ threads, asyncio

def bench_threads():
    workers = 8
    with ThreadPoolExecutor(max_workers=workers) as warm:
        list(warm.map(identity, range(workers)))

    def start_pool():
        with ThreadPoolExecutor(max_workers=workers) as executor:
            list(executor.map(identity, range(workers)))

    startups = [wall_timed(start_pool) for _ in range(21)]
    tasks = 20_000
    with ThreadPoolExecutor(max_workers=4) as executor:
        list(executor.map(identity, range(1000)))
        per_task = [wall_timed(lambda: list(executor.map(identity, range(tasks)))) / tasks for _ in range(5)]
    return {
        'threadPoolStartup': measured(startups, 's', f'`with ThreadPoolExecutor(max_workers={workers}) as ex: list(ex.map(f, range({workers})))` (start, run, join), 21 runs', 'wall'),
        'threadPerTask': measured(per_task, 's', f'list(ex.map(f, range({tasks:,}))) of a trivial f on a started 4-thread pool, per task', 'wall'),
    }


async def echo(x):
    return x


async def gather_all(n):
    await asyncio.gather(*(echo(i) for i in range(n)))


def bench_asyncio():
    n = 20_000
    asyncio.run(gather_all(1000))
    samples = []
    for _ in range(5):
        many = timed(asyncio.run, gather_all(n))
        none = timed(asyncio.run, gather_all(0))
        samples.append((many - none) / n)
    return {'asyncioPerTask': measured(samples, 's', f'asyncio.run(gather of {n:,} trivial coroutines) minus asyncio.run(gather of none), per coroutine')}


# ----------------------------------------------------------------------------------------- network

class OneKilobyte(http.server.BaseHTTPRequestHandler):
    body = b'x' * 1024

    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format, *args):
        pass


def serve():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), OneKilobyte)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def bench_http():
    server = subprocess.Popen([sys.executable, __file__, 'serve'], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        url = f'http://127.0.0.1:{port}/'
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        def get():
            with opener.open(url) as response:
                response.read()

        for _ in range(20):
            get()
        samples = [wall_timed(get) for _ in range(200)]
    finally:
        server.terminate()
        server.wait()
    return {'httpLoopback': measured(samples, 's', 'urllib GET of 1 KiB from an http.server (ThreadingHTTPServer, another process) on 127.0.0.1, new connection each, 200 requests', 'wall')}


def bench_sleep():
    time.sleep(0.001)
    samples = [wall_timed(time.sleep, 0.001) - 0.001 for _ in range(200)]
    return {'sleepOverhead': measured(samples, 's', 'time.sleep(0.001) minus 1 ms, 200 calls', 'wall')}


if __name__ == '__main__':
    if sys.argv[1] == 'serve':
        serve()
    else:
        print(json.dumps(globals()[f'bench_{sys.argv[1]}']()))
