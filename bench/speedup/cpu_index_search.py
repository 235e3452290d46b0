# Stands for: a batch of search queries answered against an in-memory inverted index (term -> sorted ids of
# the documents that contain it, packed as 32-bit integers) loaded once at start-up; the index (~30 MB) is
# only read by the queries.
import random
from array import array

DOCUMENTS = 1_500_000
TERMS = 5_000


def postings(k):
    # synthetic posting list of term k: every (30 + k)-th document from a random offset, so frequent terms
    # have long lists and rare terms short ones
    step = 30 + k
    return array("I", range(random.Random(k).randrange(step), DOCUMENTS, step)).tobytes()


def search(query, index):
    # documents containing every query term, ranked by a rarity-weighted score, ties by id
    postings = sorted((memoryview(index.get(term, b"")).cast("I") for term in query), key=len)
    hits = set(postings[0])
    for posting in postings[1:]:
        hits.intersection_update(posting)
    weight = sum(1.0 / (1 + len(posting)) for posting in postings)
    ranked = sorted(hits, key=lambda doc: (-(weight * (1 + doc % 7)), doc))
    return query, len(hits), ranked[:5]


def main():
    index = {f"t{k}": postings(k) for k in range(TERMS)}
    rng = random.Random(99)
    queries = [tuple(f"t{int(rng.paretovariate(0.8)) % TERMS}" for _ in range(3)) for _ in range(200)]
    answers = [search(query, index) for query in queries]
    for query, count, top in answers[:8]:
        print(" ".join(query), count, top)
    print(sum(count for _, count, _ in answers))


if __name__ == "__main__":
    main()
