# Stands for: a script that fetches 40 pages or API records one after another; each call mostly waits on the
# network (simulated here by a 50 ms sleep, so the bench needs no network).
import hashlib
import time


def fetch(url):
    time.sleep(0.05)  # the round trip
    body = f"<html>{url}</html>".encode()
    return url, hashlib.md5(body).hexdigest()


def main():
    urls = [f"https://example.org/items/{k}" for k in range(40)]
    pages = []
    for url in urls:
        pages.append(fetch(url))
    for url, digest in pages[:3]:
        print(url, digest)
    print(len(pages))


if __name__ == "__main__":
    main()
