import json
import pickle

import yaml


def load_config(path):
    with open(path) as f:
        # ruleid: unsafe-yaml-load
        return yaml.load(f)


def load_config_loader(text):
    # ruleid: unsafe-yaml-load
    return yaml.load(text, Loader=yaml.Loader)


def load_ok(text):
    # ok: unsafe-yaml-load
    a = yaml.safe_load(text)
    # ok: unsafe-yaml-load
    b = yaml.load(text, Loader=yaml.SafeLoader)
    return a, b


def restore(blob):
    # ruleid: unsafe-deserialization
    return pickle.loads(blob)


def restore_ok(blob):
    # ok: unsafe-deserialization
    return json.loads(blob)


def save(obj):
    # ok: unsafe-deserialization
    return pickle.dumps(obj)


def load_many(text):
    # ruleid: unsafe-yaml-load-all
    return list(yaml.load_all(text))


def load_many_ok(text):
    # ok: unsafe-yaml-load-all
    return list(yaml.safe_load_all(text))
