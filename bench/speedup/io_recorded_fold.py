# Stands for: a health check over 40 endpoints that sorts them into reachable and failing lists as the answers
# come back (results collected in both branches of an if, in input order). Each check mostly waits on the
# network (a 50 ms sleep here, so the bench needs no network).
import time


def check(url):
    time.sleep(0.05)  # the round trip
    return len(url) % 7 != 0


def main():
    urls = [f"https://example.org/health/{k}" for k in range(40)]
    up = []
    down = []
    for url in urls:
        if check(url):
            up.append(url)
        else:
            down.append(url)
    print(len(up), len(down))
    print(down[:3])


if __name__ == "__main__":
    main()
