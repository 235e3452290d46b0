# Stands for: a backup or deduplication tool that splits a large file into fixed-size chunks and, for each
# chunk, computes a content hash (the dedup key) and compresses it before upload.
import hashlib
import random
import zlib

CHUNK_SIZE = 256 * 1024
CHUNK_COUNT = 200


def sample_text(size):
    # semi-compressible data, as in text or logs: random words
    rng = random.Random(1234)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(500)]
    return b" ".join(rng.choice(words) for _ in range(size // 5))


def read_chunk(text, k, size):
    # stands for reading the k-th chunk of the file: a window of the text with a few bytes changed, so that
    # no two chunks are equal
    rng = random.Random(k)
    start = rng.randrange(len(text) - size)
    chunk = bytearray(text[start:start + size])
    for _ in range(16):
        chunk[rng.randrange(size)] = 48 + k % 10
    return bytes(chunk)


def digest_chunk(chunk):
    key = hashlib.sha256(chunk).hexdigest()
    packed = zlib.compress(chunk, 9)
    return key, len(packed)


def main():
    text = sample_text(2 * CHUNK_SIZE)
    chunks = [read_chunk(text, k, CHUNK_SIZE) for k in range(CHUNK_COUNT)]
    manifest = []
    for chunk in chunks:
        manifest.append(digest_chunk(chunk))
    total = sum(size for _, size in manifest)
    print(f"{len(manifest)} chunks, {total} bytes compressed")
    print(manifest[0][0], manifest[-1][0])
    print(hashlib.sha256("".join(key for key, _ in manifest).encode()).hexdigest())


if __name__ == "__main__":
    main()
