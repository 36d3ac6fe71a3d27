import random
import secrets
import string


def make_token():
    # ruleid: insecure-random-token
    return "".join(random.choice(string.ascii_letters) for _ in range(32))


def reset():
    # ruleid: insecure-random-token
    reset_code = random.randint(100000, 999999)
    return reset_code


def shuffle_cards(cards):
    # ok: insecure-random-token
    random.shuffle(cards)
    return cards


def make_token_ok():
    # ok: insecure-random-token
    return secrets.token_urlsafe(32)


def sample_rows(rows):
    # ok: insecure-random-token
    picked = random.sample(rows, 10)
    return picked
