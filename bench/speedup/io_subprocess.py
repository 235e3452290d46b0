# Stands for: a build or audit script that runs an external command once per item (a linter per file, `git
# show` per commit); here `echo`, so that the bench depends on nothing but coreutils.
import subprocess


def describe(item):
    result = subprocess.run(["echo", f"item {item}"], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def main():
    items = list(range(300))
    lines = []
    for item in items:
        lines.append(describe(item))
    print(lines[:3], lines[-1])
    print(len(lines))


if __name__ == "__main__":
    main()
