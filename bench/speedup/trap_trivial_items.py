# Stands for: a data-validation pass over 100,000 product codes with a one-line check-digit function per
# code: each call costs about a microsecond, far less than sending the item to another process.


def check_digit(code):
    return sum(ord(c) * (i + 1) for i, c in enumerate(code)) % 97


def main():
    codes = [f"SKU{k:07d}" for k in range(100_000)]
    digits = []
    for code in codes:
        digits.append(check_digit(code))
    print(len(digits), sum(digits), digits[:5])


if __name__ == "__main__":
    main()
