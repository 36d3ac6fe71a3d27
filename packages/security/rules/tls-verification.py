import ssl

import requests


def fetch(url):
    # ruleid: tls-verify-disabled
    return requests.get(url, verify=False)


def fetch_ok(url):
    # ok: tls-verify-disabled
    return requests.get(url, timeout=10)


def ctx():
    # ruleid: tls-unverified-context
    c = ssl._create_unverified_context()
    # ok: tls-unverified-context
    d = ssl.create_default_context()
    # ruleid: tls-unverified-context
    d.check_hostname = False
    return c, d


def validate(form):
    # ok: tls-verify-disabled
    return form.validate(verify=False)
