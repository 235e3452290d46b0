# Stands for: migrating a user table to a new password-hashing scheme: every stored password (here, from a
# fixture list) is re-derived with PBKDF2 at a production iteration count.
import hashlib


def derive(user, password, iterations=60_000):
    salt = hashlib.sha256(user.encode()).digest()[:16]
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations).hex()


def main():
    users = [(f"user{k:03d}", f"correct horse {k} battery staple") for k in range(40)]
    table = {}
    for user, password in users:
        table[user] = derive(user, password)
    for name in sorted(table)[:5]:
        print(name, table[name])
    print(len(table))


if __name__ == "__main__":
    main()
