import sqlite3


def by_name(conn, name):
    cur = conn.cursor()
    # ruleid: sql-injection-formatted-query
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: sql-injection-formatted-query
    cur.execute("SELECT * FROM users WHERE id = %s" % name)
    # ruleid: sql-injection-formatted-query
    conn.execute("DELETE FROM users WHERE name = '" + name + "'")
    # ruleid: sql-injection-formatted-query
    cur.execute("UPDATE users SET name = '{}'".format(name))
    query = f"SELECT id FROM orders WHERE owner = '{name}'"
    # ruleid: sql-injection-formatted-query
    cur.execute(query)
    # ruleid: sql-injection-formatted-query
    User.objects.raw(f"SELECT * FROM app_user WHERE name = '{name}'")
    # ok: sql-injection-formatted-query
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: sql-injection-formatted-query
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    # ok: sql-injection-formatted-query
    cur.execute("SELECT count(*) FROM users")
    # ok: sql-injection-formatted-query
    executor.execute(f"job-{name}")
    q = "SELECT * FROM users WHERE id = ?"
    # ok: sql-injection-formatted-query
    cur.execute(q, (name,))
