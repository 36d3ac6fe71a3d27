import ldap
from ldap.filter import escape_filter_chars


def lookup(conn, user):
    # ruleid: ldap-injection
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={user})")


def lookup3(conn, user):
    # ruleid: ldap-injection
    return conn.search("dc=example,dc=com", "(&(objectClass=person)(cn=" + user + "))")


def lookup_ok(conn, user):
    # ok: ldap-injection
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={escape_filter_chars(user)})")


def lookup_const(conn):
    # ok: ldap-injection
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(objectClass=person)")


def lookup_indirect(conn, user):
    flt = f"(sAMAccountName={user})"
    # ruleid: ldap-injection
    return conn.search_s("dc=corp", ldap.SCOPE_SUBTREE, flt)
