# Stands for: a log analyser that reads each rotated log file of a service and extracts request statistics
# with regular expressions; the files are local, so parsing (CPU) dominates reading.
import os
import random
import re
import tempfile

REQUEST = re.compile(r'(\d+\.\d+\.\d+\.\d+) - - \[[^\]]+\] "(GET|POST|PUT) (\S+) HTTP/1\.1" (\d{3}) (\d+)')
SLOW = re.compile(r"took (\d+)ms")
ERROR_WORD = re.compile(r"\b(?:timeout|refused|reset)\b", re.IGNORECASE)


def write_logs(directory, files, lines_per_file):
    rng = random.Random(11)
    samples = []
    for _ in range(2_000):
        ip = ".".join(str(rng.randrange(256)) for _ in range(4))
        method = rng.choice(["GET", "GET", "GET", "POST", "PUT"])
        status = rng.choice([200, 200, 200, 301, 404, 500])
        note = rng.choice(["", "", "took %dms" % rng.randrange(2000), "upstream timeout", "connection reset"])
        request = f"{method} /api/v1/items/{rng.randrange(500)} HTTP/1.1"
        samples.append(f'{ip} - - [10/Oct/2025:13:55:36 +0000] "{request}" {status} {rng.randrange(90000)} {note}\n')
    paths = []
    for k in range(files):
        path = os.path.join(directory, f"access.log.{k}")
        with open(path, "w") as out:
            out.write("".join(rng.choices(samples, k=lines_per_file)))
        paths.append(path)
    return paths


def analyse(path):
    with open(path) as source:
        text = source.read()
    statuses = {}
    sent = 0
    for match in REQUEST.finditer(text):
        statuses[match.group(4)] = statuses.get(match.group(4), 0) + 1
        sent += int(match.group(5))
    slow = sum(1 for m in SLOW.finditer(text) if int(m.group(1)) > 1000)
    errors = len(ERROR_WORD.findall(text))
    return os.path.basename(path), sorted(statuses.items()), sent, slow, errors


def main():
    with tempfile.TemporaryDirectory() as directory:
        paths = write_logs(directory, 24, 8000)
        reports = []
        for path in paths:
            reports.append(analyse(path))
    for report in reports[:3]:
        print(*report)
    print(sum(r[2] for r in reports), sum(r[3] for r in reports), sum(r[4] for r in reports))


if __name__ == "__main__":
    main()
