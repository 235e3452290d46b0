# Stands for: an asyncio client that awaits one API call after another although the calls are independent
# (each simulated by a 50 ms asyncio.sleep standing in for the response).
import asyncio


async def fetch(session_id, item):
    await asyncio.sleep(0.05)
    return item, (item * 2654435761 + session_id) % 1_000_003


async def collect(items):
    results = []
    for item in items:
        results.append(await fetch(17, item))
    return results


def main():
    results = asyncio.run(collect(list(range(30))))
    print(results[:5])
    print(sum(value for _, value in results))


if __name__ == "__main__":
    main()
