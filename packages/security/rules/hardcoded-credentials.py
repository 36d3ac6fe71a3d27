import os

# ruleid: hardcoded-credential
DB_PASSWORD = "Tr0ub4dor&3xQ9"
# ruleid: hardcoded-credential
STRIPE_API_KEY = "pk_9fK2mQ7xLp3vR8tZ"
# ok: hardcoded-credential
DB_PASSWORD_ENV = os.getenv("DB_PASSWORD")
# ok: hardcoded-credential
PASSWORD_FIELD = "password"
# ok: hardcoded-credential
API_KEY = "changeme"


def connect(psycopg2):
    # ruleid: hardcoded-credential
    return psycopg2.connect(host="db", user="app", password="s3cr3tPassw0rd!")
