# Stands for: a client of an API that allows 5 requests per second: it pauses a constant 0.2 s between
# requests on purpose. Running the requests in parallel would break the rate limit.
import time


def fetch(url):
    time.sleep(0.02)  # the round trip
    return url, len(url)


def main():
    urls = [f"https://api.example.org/v1/report/{k}" for k in range(6)]
    responses = []
    for url in urls:
        responses.append(fetch(url))
        time.sleep(0.2)  # rate limit: at most 5 requests per second
    print(responses)


if __name__ == "__main__":
    main()
