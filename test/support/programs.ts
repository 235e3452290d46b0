// Small programs shared by the LSP tests.

/** One PAR101 loop (line 10, 0-based) over a slow key derivation; runnable, prints its result. */
export const DIGEST_PROGRAM = `import hashlib


def digest(word):
    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"salt", 60_000).hex()


def main():
    words = [f"w{i}" for i in range(40)]
    out = []
    for w in words:
        out.append(digest(w))
    print(out[:2], len(out))


if __name__ == "__main__":
    main()
`;
