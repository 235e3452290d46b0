"""An asyncio service whose coroutines stall the event loop: the demo for PAR203 and PAR204.

Run it with `python3 examples/service.py`; `parallelize check examples/` underlines the calls that block.
"""
import asyncio
import hashlib
import time


def checksum(payload, rounds=200):
    # pure-Python work: every byte goes through the interpreter, many times
    total = 0
    for i, byte in enumerate(payload):
        for _ in range(rounds):
            total = (total * 31 + byte * (i + 1)) % 1_000_003
    return total


async def handle(request_id, request):
    time.sleep(0.01)  # PAR203: blocks every other coroutine while it sleeps
    digest = checksum(request.body)  # PAR204: CPU-bound, stalls the event loop
    return f"request {request_id}: {digest}"


async def sign(secret):
    key = hashlib.pbkdf2_hmac("sha256", secret, b"service", 20_000)  # PAR204
    return key.hex()[:16]


class Request:
    """What a web framework hands a handler: the body arrives with the request."""

    def __init__(self, body):
        self.body = body


async def main():
    requests = [Request(bytes(range(i, i + 200)) * 20) for i in range(5)]
    *replies, signature = await asyncio.gather(*(handle(i, r) for i, r in enumerate(requests)), sign(b"hunter2"))
    for reply in replies:
        print(reply)
    print("signature:", signature)


if __name__ == "__main__":
    asyncio.run(main())
