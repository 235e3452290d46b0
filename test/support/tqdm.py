"""A stand-in for the `tqdm` package in the run-and-compare tests: it counts what passes through the bar and
prints the count and the total when the iteration ends, so a rewrite that moves the bar keeps its output only if
the bar still sees every item, with the same total."""


class tqdm:
    def __init__(self, iterable=None, desc=None, total=None, **_):
        self.iterable = iterable
        self.desc = desc or "progress"
        self.total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)

    def __iter__(self):
        n = 0
        for item in self.iterable:
            n += 1
            yield item
        print(f"{self.desc}: {n}/{self.total}")


def trange(*args, **kwargs):
    return tqdm(range(*args), **kwargs)
