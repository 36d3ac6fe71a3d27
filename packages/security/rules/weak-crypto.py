import hashlib

from Crypto.Cipher import AES, DES


def store(password):
    # ruleid: weak-hash-for-password
    return hashlib.md5(password.encode()).hexdigest()


def store_sha(user_password):
    # ruleid: weak-hash-for-password
    return hashlib.sha1(user_password).hexdigest()


def checksum(data):
    # ok: weak-hash-for-password
    return hashlib.md5(data).hexdigest()


def store_ok(password, salt):
    # ok: weak-hash-for-password
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def strong(password):
    # ok: weak-hash-for-password
    return hashlib.sha256(password.encode()).hexdigest()


def enc(key, data):
    # ruleid: weak-cipher
    c = DES.new(key, DES.MODE_CBC)
    # ruleid: weak-cipher
    e = AES.new(key, AES.MODE_ECB)
    # ok: weak-cipher
    g = AES.new(key, AES.MODE_GCM)
    return c, e, g
