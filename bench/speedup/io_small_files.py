# Stands for: loading a directory of many small JSON records (exported orders, config fragments, test
# reports): each file is opened, read and parsed, then the records are summarised.
import json
import os
import random
import tempfile


def write_records(directory, count):
    rng = random.Random(5)
    paths = []
    for k in range(count):
        path = os.path.join(directory, f"order-{k:05d}.json")
        lines = [
            {"sku": f"s{rng.randrange(900)}", "qty": rng.randint(1, 9), "price": rng.randint(100, 9999)}
            for _ in range(rng.randint(1, 12))
        ]
        record = {"id": k, "customer": f"c{rng.randrange(300)}", "lines": lines}
        with open(path, "w") as out:
            json.dump(record, out)
        paths.append(path)
    return paths


def load_order(path):
    with open(path) as source:
        record = json.load(source)
    total = sum(line["qty"] * line["price"] for line in record["lines"])
    return record["customer"], total


def main():
    with tempfile.TemporaryDirectory() as directory:
        paths = write_records(directory, 3000)
        orders = []
        for path in paths:
            orders.append(load_order(path))
    per_customer = {}
    for customer, total in orders:
        per_customer[customer] = per_customer.get(customer, 0) + total
    top = sorted(per_customer.items(), key=lambda item: (-item[1], item[0]))[:5]
    print(len(orders), top)


if __name__ == "__main__":
    main()
