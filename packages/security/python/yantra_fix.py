"""Yantra's AST-based security fixer.

Reads a JSON request on stdin: {"root": str, "files": [{"file": str, "findings": [
{"id", "rule", "startLine", "startCol", "endLine", "endCol"}]}]}, and writes a JSON answer on
stdout: {"files": [{"file", "text" (new source or null), "applied": [...], "rejected": [...]}]}.

Fixes are located and built from the syntax tree (ast node positions), never from regular
expressions over the source; each edit is re-parsed, and an edit that breaks the syntax is
dropped. The caller re-scans the result and drops fixes that leave their finding in place.
Only the standard library is used, so any Python 3.8+ can run it.
"""

import ast
import json
import os
import re
import shlex
import sys

SQL_CALLS = {"execute", "executemany", "raw", "mogrify"}
SQLITE_MODULES = {"sqlite3", "aiosqlite"}
PERCENT_MODULES = {"psycopg", "psycopg2", "pymysql", "MySQLdb", "mysql", "asyncpg_percent"}
SECRET_NAME = re.compile(r"(passw|pwd|secret|api_?key|apikey|access_?key|token|private_?key)", re.I)
SHELL_META = re.compile(r"[|&;<>$`*?(){}\[\]\\!~#]")


class Refuse(Exception):
    """A fix that cannot be made safely; the reason is reported to the user."""


class Source:
    def __init__(self, text):
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, lineno, col_bytes):
        """Character offset of an ast (1-based line, UTF-8 byte column) position."""
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ""
        chars = len(line.encode("utf-8")[:col_bytes].decode("utf-8", errors="ignore"))
        return self.starts[lineno - 1] + chars

    def span(self, node):
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def seg(self, node):
        a, b = self.span(node)
        return self.text[a:b]

    def pos(self, line, col):
        """Character offset of a 1-based line and 1-based character column (as findings give)."""
        return self.starts[min(line, len(self.starts)) - 1] + col - 1


def nodes_containing(tree, src, offset, kinds):
    found = []
    for node in ast.walk(tree):
        if isinstance(node, kinds) and hasattr(node, "lineno"):
            a, b = src.span(node)
            if a <= offset < b or (a == offset == b):
                found.append((b - a, a, node))
    found.sort(key=lambda t: (t[0], -t[1]))
    return [n for _, _, n in found]


def imported_modules(tree):
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                mods.add(alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module:
            mods.add(node.module.split(".")[0])
    return mods


def has_plain_import(tree, module):
    for node in tree.body:
        if isinstance(node, ast.Import) and any(a.name == module and a.asname is None for a in node.names):
            return True
    return False


def call_name(call):
    f = call.func
    if isinstance(f, ast.Attribute):
        base = f.value.id if isinstance(f.value, ast.Name) else None
        return base, f.attr
    if isinstance(f, ast.Name):
        return None, f.id
    return None, None


def rebuild_call(src, call, drop_kw=(), set_kw=None, args=None, func=None):
    """Re-renders a call from its parts' source text, dropping or replacing keywords."""
    parts = [a for a in (args if args is not None else [src.seg(x) for x in call.args])]
    for kw in call.keywords:
        if kw.arg in drop_kw:
            continue
        if set_kw and kw.arg in set_kw:
            parts.append("%s=%s" % (kw.arg, set_kw.pop(kw.arg)))
        elif kw.arg is None:
            parts.append("**" + src.seg(kw.value))
        else:
            parts.append("%s=%s" % (kw.arg, src.seg(kw.value)))
    for k, v in (set_kw or {}).items():
        parts.append("%s=%s" % (k, v))
    return "%s(%s)" % (func if func is not None else src.seg(call.func), ", ".join(parts))


def env_name(text):
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper()
    return name or "SECRET"


# ---------------------------------------------------------------------------------------- SQL

IDENT_BEFORE = re.compile(
    r"(\bfrom|\bjoin|\binto|\bupdate|\btable|\bby|\bselect|\bdistinct|\bas|\.|\bexists|\bindex|\bon)\s*$", re.I
)
VALUE_BEFORE = re.compile(r"(=|<|>|<>|!=|\blike|\bilike|\blimit|\boffset|\bis|\bbetween|\band|\bthen|\belse|\bwhen)\s*$", re.I)
LIST_OPEN = re.compile(r"(\bvalues|\bin)\s*\(\s*(?:[^()]*,\s*)?$", re.I)


def sql_parts(src, expr):
    """Splits a formatted SQL expression into literal text and interpolated expressions."""
    if isinstance(expr, ast.JoinedStr):
        parts = []
        for v in expr.values:
            if isinstance(v, ast.Constant):
                parts.append(("lit", v.value))
            else:
                if v.conversion != -1 or v.format_spec is not None:
                    raise Refuse("f-string uses a conversion or format spec")
                parts.append(("val", src.seg(v.value)))
        return parts
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        flat = []

        def walk(n):
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                walk(n.left)
                walk(n.right)
            else:
                flat.append(n)

        walk(expr)
        return [("lit", n.value) if isinstance(n, ast.Constant) and isinstance(n.value, str) else ("val", src.seg(n)) for n in flat]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod) and isinstance(expr.left, ast.Constant):
        values = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
        if isinstance(expr.right, ast.Dict):
            raise Refuse("%-formatting with a mapping")
        pieces = re.split(r"(%[sdifr])", expr.left.value.replace("%%", "\x00"))
        parts, i = [], 0
        for p in pieces:
            if re.fullmatch(r"%[sdifr]", p):
                if i >= len(values):
                    raise Refuse("more placeholders than values")
                parts.append(("val", src.seg(values[i])))
                i += 1
            else:
                parts.append(("lit", p.replace("\x00", "%")))
        return parts
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and isinstance(expr.func.value, ast.Constant)
    ):
        fmt = expr.func.value.value
        kws = {k.arg: src.seg(k.value) for k in expr.keywords if k.arg}
        parts, auto = [], 0
        for lit, field, spec, conv in __import__("string").Formatter().parse(fmt):
            if lit:
                parts.append(("lit", lit))
            if field is None:
                continue
            if spec or conv:
                raise Refuse(".format field uses a conversion or format spec")
            if field == "":
                parts.append(("val", src.seg(expr.args[auto])))
                auto += 1
            elif field.isdigit():
                parts.append(("val", src.seg(expr.args[int(field)])))
            elif field in kws:
                parts.append(("val", kws[field]))
            else:
                raise Refuse(".format field %r is not a plain argument" % field)
        return parts
    raise Refuse("the query is not an f-string, %, + or .format expression")


def parameterize(parts, placeholder):
    sql, params = "", []
    for i, (kind, value) in enumerate(parts):
        if kind == "lit":
            sql += value
            continue
        last_quote = max(sql.rfind("'"), sql.rfind('"'))
        if last_quote >= 0 and sql.count(sql[last_quote]) % 2 == 1 and not sql[last_quote + 1 :] == "" and sql[last_quote + 1 :].strip() == sql[last_quote + 1 :]:
            # The value sits inside a quoted literal with other text, as in LIKE '%{term}%':
            # the whole literal becomes one parameter built from its pieces.
            q = sql[last_quote]
            pre = sql[last_quote + 1 :]
            nxt = parts[i + 1][1] if i + 1 < len(parts) and parts[i + 1][0] == "lit" else ""
            close = nxt.find(q)
            probe = sql[:last_quote].rstrip()
            if close < 0 or q in pre or not VALUE_BEFORE.search(probe) or IDENT_BEFORE.search(probe):
                raise Refuse("interpolated value %s is part of a larger quoted literal" % value)
            post = nxt[:close]
            pieces = ([json.dumps(pre)] if pre else []) + ["str(%s)" % value] + ([json.dumps(post)] if post else [])
            sql = sql[:last_quote] + placeholder
            parts[i + 1] = ("lit", nxt[close + 1 :])
            params.append(" + ".join(pieces))
            continue
        before = sql.rstrip()
        quoted = before.endswith(("'", '"'))
        probe = before[:-1].rstrip() if quoted else before
        if IDENT_BEFORE.search(probe) or not (VALUE_BEFORE.search(probe) or LIST_OPEN.search(probe)):
            raise Refuse("interpolated value %s is used as an identifier (table or column name); validate it against an allow-list instead" % value)
        if quoted:
            nxt = parts[i + 1][1] if i + 1 < len(parts) and parts[i + 1][0] == "lit" else ""
            if not nxt.startswith(before[-1]):
                raise Refuse("interpolated value %s is part of a larger quoted literal" % value)
            sql = sql.rstrip()[:-1]
            parts[i + 1] = ("lit", nxt[1:])
        sql += placeholder
        params.append(value)
    return sql, params


def fix_sql(tree, src, finding):
    offset = src.pos(finding["startLine"], finding["startCol"])
    calls = [c for c in nodes_containing(tree, src, offset, (ast.Call,)) if call_name(c)[1] in SQL_CALLS]
    if not calls:
        raise Refuse("no execute() call at the finding")
    call = calls[0]
    if len(call.args) != 1:
        raise Refuse("the call already passes parameters")
    mods = imported_modules(tree)
    if call_name(call)[1] == "raw" or mods & PERCENT_MODULES or "django" in mods:
        placeholder = "%s"
    elif mods & SQLITE_MODULES:
        placeholder = "?"
    else:
        raise Refuse("cannot tell the database driver (no sqlite3, psycopg or pymysql import)")
    arg = call.args[0]
    edits = []
    target = arg
    if isinstance(arg, ast.Name):
        assigns = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign)
            and len(n.targets) == 1
            and isinstance(n.targets[0], ast.Name)
            and n.targets[0].id == arg.id
            and n.lineno < call.lineno
        ]
        if not assigns:
            raise Refuse("the query variable is not assigned in this file")
        assign = max(assigns, key=lambda n: n.lineno)
        target = assign.value
    parts = sql_parts(src, target)
    sql, params = parameterize(parts, placeholder)
    if placeholder == "%s":
        sql = sql.replace("%", "%%").replace("%%s", "%s")
    literal = json.dumps(sql)
    tuple_text = "(%s,)" % params[0] if len(params) == 1 else "(%s)" % ", ".join(params)
    if target is arg:
        edits.append((src.span(call), rebuild_call(src, call, args=[literal, tuple_text])))
    else:
        edits.append((src.span(target), literal))
        edits.append((src.span(call), rebuild_call(src, call, args=[src.seg(arg), tuple_text])))
    return edits, "parameterized the SQL query (%s placeholders)" % placeholder, None, set(), []


# ------------------------------------------------------------------------------------ secrets


def fix_secret(tree, src, finding):
    offset = src.pos(finding["startLine"], finding["startCol"])
    consts = [c for c in nodes_containing(tree, src, offset, (ast.Constant,)) if isinstance(c.value, (str, bytes))]
    if not consts:
        # A semgrep match spans the whole assignment or call: take its secret-named string value.
        for node in nodes_containing(tree, src, offset, (ast.Assign, ast.AnnAssign, ast.Call)):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                consts = [node.value]
                break
            if isinstance(node, ast.Call):
                kws = [k for k in node.keywords if k.arg and SECRET_NAME.search(k.arg) and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)]
                if kws:
                    consts = [kws[0].value]
                    break
    if not consts:
        raise Refuse("the secret is not a plain string literal")
    const = consts[0]
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    parent = parents.get(const)
    name = None
    if isinstance(parent, ast.keyword) and parent.arg:
        name = parent.arg
        call = parents.get(parent)
        if isinstance(call, ast.Call) and name.lower() in ("password", "passwd", "token", "secret", "key", "api_key"):
            base = call_name(call)[0] or call_name(call)[1] or ""
            name = "%s_%s" % (base, name) if base and base not in ("self",) else name
    elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
        tgt = parent.targets[0] if isinstance(parent, ast.Assign) else parent.target
        name = tgt.id if isinstance(tgt, ast.Name) else tgt.attr if isinstance(tgt, ast.Attribute) else None
    elif isinstance(parent, ast.Dict):
        idx = [id(v) for v in parent.values].index(id(const))
        key = parent.keys[idx]
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if not name:
        raise Refuse("the secret is not assigned to a name, keyword or dict key")
    if isinstance(const.value, bytes):
        raise Refuse("the secret is a bytes literal")
    var = env_name(name)
    if re.match(r"^[a-z]+://", const.value) and "URL" not in var:
        var = var + "_URL"
    expr = 'os.getenv("%s", "")' % var if isinstance(parent, ast.keyword) else 'os.getenv("%s")' % var
    notice = "Rotate this secret: it was committed in %s. Set %s in the environment (see .env.example)." % (finding["file"], var)
    return [(src.span(const), expr)], "moved a hardcoded secret to the environment variable %s" % var, notice, {"os"}, [var]


# ---------------------------------------------------------------------------------- commands


def argv_from(src, expr):
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        if SHELL_META.search(expr.value):
            raise Refuse("the command uses shell syntax (pipes, redirection, globbing or variables)")
        return [json.dumps(a) for a in shlex.split(expr.value)]
    if isinstance(expr, ast.JoinedStr):
        parts = []
        for v in expr.values:
            parts.append(("lit", v.value) if isinstance(v, ast.Constant) else ("val", src.seg(v.value)))
            if not isinstance(v, ast.Constant) and (v.conversion != -1 or v.format_spec is not None):
                raise Refuse("f-string uses a conversion or format spec")
    elif isinstance(expr, (ast.BinOp, ast.Call)):
        parts = sql_parts(src, expr)
    else:
        raise Refuse("the command is held in a variable; build it as an argv list where it is made")
    argv = []
    for i, (kind, value) in enumerate(parts):
        if kind == "val":
            prev_lit = parts[i - 1][1] if i > 0 and parts[i - 1][0] == "lit" else " "
            next_lit = parts[i + 1][1] if i + 1 < len(parts) and parts[i + 1][0] == "lit" else " "
            if not (prev_lit == "" or prev_lit[-1].isspace() or i == 0) or not (next_lit == "" or next_lit[0].isspace()):
                raise Refuse("an interpolated value is glued to other text in one argument")
            argv.append("str(%s)" % value)
            continue
        if SHELL_META.search(value) or "'" in value or '"' in value:
            raise Refuse("the command uses shell syntax (pipes, quotes, redirection or variables)")
        argv.extend(json.dumps(a) for a in value.split())
    if not argv:
        raise Refuse("empty command")
    return argv


def fix_shell(tree, src, finding):
    offset = src.pos(finding["startLine"], finding["startCol"])
    calls = [c for c in nodes_containing(tree, src, offset, (ast.Call,)) if call_name(c)[0] in ("subprocess", "os")]
    if not calls:
        raise Refuse("no subprocess or os.system call at the finding")
    call = calls[0]
    mod, fn = call_name(call)
    if not call.args:
        raise Refuse("the command is not the first argument")
    argv = "[%s]" % ", ".join(argv_from(src, call.args[0]))
    if mod == "subprocess":
        if not any(k.arg == "shell" for k in call.keywords):
            raise Refuse("no shell=True keyword")
        new = rebuild_call(src, call, drop_kw=("shell",), args=[argv] + [src.seg(a) for a in call.args[1:]])
        return [(src.span(call), new)], "replaced a shell command string with an argv list", None, set(), []
    if fn == "popen" and len(call.args) == 1:
        parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        attr = parents.get(call)
        outer = parents.get(attr) if isinstance(attr, ast.Attribute) and attr.attr == "read" else None
        if isinstance(outer, ast.Call) and not outer.args:
            new = "subprocess.run(%s, capture_output=True, text=True, check=False).stdout" % argv
            return [(src.span(outer), new)], "replaced os.popen(...).read() with subprocess.run on an argv list", None, {"subprocess"}, []
    if fn == "system" and len(call.args) == 1:
        return [(src.span(call), "subprocess.run(%s, check=False).returncode" % argv)], "replaced os.system with subprocess.run on an argv list", None, {"subprocess"}, []
    raise Refuse("os.%s cannot be rewritten safely" % fn)


# ------------------------------------------------------------------------------ small rewrites


def find_call(tree, src, finding, pred, what):
    offset = src.pos(finding["startLine"], finding["startCol"])
    for call in nodes_containing(tree, src, offset, (ast.Call,)):
        if pred(call):
            return call
    raise Refuse("no %s call at the finding" % what)


def fix_yaml(tree, src, finding):
    call = find_call(tree, src, finding, lambda c: call_name(c)[0] == "yaml", "yaml")
    fn = call_name(call)[1]
    new_fn = "yaml.safe_load_all" if fn == "load_all" else "yaml.safe_load"
    if not call.args:
        raise Refuse("yaml.load without a positional stream")
    new = "%s(%s)" % (new_fn, src.seg(call.args[0]))
    return [(src.span(call), new)], "replaced yaml.%s with %s" % (fn, new_fn), None, set(), []


def fix_verify(tree, src, finding):
    call = find_call(tree, src, finding, lambda c: any(k.arg == "verify" for k in c.keywords), "verify=False")
    return [(src.span(call), rebuild_call(src, call, drop_kw=("verify",)))], "removed verify=False (TLS certificates are checked again)", None, set(), []


DEBUG_EXPR = 'os.environ.get("%s", "") == "1"'


def fix_debug(tree, src, finding):
    offset = src.pos(finding["startLine"], finding["startCol"])
    for node in nodes_containing(tree, src, offset, (ast.Call, ast.Assign)):
        if isinstance(node, ast.Call) and any(k.arg == "DEBUG" for k in node.keywords):
            new = rebuild_call(src, node, set_kw={"DEBUG": DEBUG_EXPR % "FLASK_DEBUG"})
            return [(src.span(node), new)], "debug mode now follows FLASK_DEBUG", None, {"os"}, []
        if isinstance(node, ast.Call) and any(k.arg == "debug" for k in node.keywords):
            var = "FLASK_DEBUG" if call_name(node)[1] == "run" else "APP_DEBUG"
            new = rebuild_call(src, node, set_kw={"debug": DEBUG_EXPR % var})
            return [(src.span(node), new)], "debug mode now follows %s" % var, None, {"os"}, []
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is True:
            var = "DJANGO_DEBUG" if isinstance(node.targets[0], ast.Name) else "FLASK_DEBUG"
            return [(src.span(node.value), DEBUG_EXPR % var)], "debug mode now follows %s" % var, None, {"os"}, []
    raise Refuse("no debug=True at the finding")


def fix_random(tree, src, finding):
    call = find_call(tree, src, finding, lambda c: call_name(c)[0] == "random", "random")
    fn = call_name(call)[1]
    args = ", ".join([src.seg(a) for a in call.args] + ["%s=%s" % (k.arg, src.seg(k.value)) for k in call.keywords if k.arg])
    new = "secrets.choice(%s)" % args if fn == "choice" else "secrets.SystemRandom().%s(%s)" % (fn, args)
    return [(src.span(call), new)], "replaced random.%s with the secrets module" % fn, None, {"secrets"}, []


def fix_hash(tree, src, finding):
    offset = src.pos(finding["startLine"], finding["startCol"])
    for call in nodes_containing(tree, src, offset, (ast.Call,)):
        f = call.func
        if isinstance(f, ast.Attribute) and f.attr in ("hexdigest", "digest") and isinstance(f.value, ast.Call):
            inner = f.value
            mod, fn = call_name(inner)
            if mod == "hashlib" and fn in ("md5", "sha1", "new"):
                data = inner.args[1] if fn == "new" and len(inner.args) > 1 else inner.args[0] if inner.args and fn != "new" else None
                if data is None:
                    raise Refuse("the hashed value is not a positional argument")
                new = (
                    '(lambda salt: salt.hex() + "$" + hashlib.scrypt(%s, salt=salt, n=2**14, r=8, p=1).hex())(os.urandom(16))'
                    % src.seg(data)
                )
                notice = (
                    "Password hashes in %s now use scrypt with a random salt, stored as 'salt$hash'. "
                    "Verify by re-deriving with the stored salt; re-hash existing MD5/SHA-1 hashes at next login." % finding["file"]
                )
                return [(src.span(call), new)], "replaced %s with salted hashlib.scrypt" % fn, notice, {"os", "hashlib"}, []
    raise Refuse("only hashlib.md5(...).hexdigest() style calls are rewritten")


FIXERS = {
    "sql-injection-formatted-query": fix_sql,
    "hardcoded-credential": fix_secret,
    "command-injection-shell": fix_shell,
    "subprocess-shell-true": fix_shell,
    "unsafe-yaml-load": fix_yaml,
    "unsafe-yaml-load-all": fix_yaml,
    "tls-verify-disabled": fix_verify,
    "debug-mode-enabled": fix_debug,
    "django-debug-setting": fix_debug,
    "insecure-random-token": fix_random,
    "weak-hash-for-password": fix_hash,
}


def fixer_for(rule):
    if rule in FIXERS:
        return FIXERS[rule]
    if rule.startswith("secret-"):
        return fix_secret
    return None


def add_imports(text, tree, modules):
    missing = sorted(m for m in modules if not has_plain_import(tree, m))
    if not missing:
        return text
    insert_line = 0
    body = tree.body
    i = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
        insert_line = body[0].end_lineno
        i = 1
    while i < len(body) and isinstance(body[i], ast.ImportFrom) and body[i].module == "__future__":
        insert_line = body[i].end_lineno
        i += 1
    lines = text.splitlines(keepends=True)
    if insert_line > 0 and lines and not lines[insert_line - 1].endswith("\n"):
        lines[insert_line - 1] += "\n"
    block = "".join("import %s\n" % m for m in missing)
    lines.insert(insert_line, block)
    return "".join(lines)


def fix_file(path, rel, findings):
    with open(path, encoding="utf-8") as fh:
        original = fh.read()
    try:
        tree = ast.parse(original)
    except SyntaxError as e:
        return {"file": rel, "text": None, "applied": [], "rejected": [{"id": f["id"], "reason": "file does not parse: %s" % e.msg} for f in findings]}
    src = Source(original)
    planned, rejected = [], []
    for f in findings:
        fixer = fixer_for(f["rule"])
        if fixer is None:
            rejected.append({"id": f["id"], "reason": "no automatic fix for %s" % f["rule"]})
            continue
        try:
            edits, description, notice, imports, env = fixer(tree, src, dict(f, file=rel))
            planned.append((f, edits, description, notice, imports, env))
        except Refuse as r:
            rejected.append({"id": f["id"], "reason": str(r)})
        except Exception as e:  # a fixer bug must not lose the other fixes
            rejected.append({"id": f["id"], "reason": "fixer error: %s" % e})
    # Bottom-up, so earlier offsets stay valid; overlapping fixes keep the first one.
    planned.sort(key=lambda p: -min(s[0] for s, _ in p[1]))
    text = original
    taken = []
    applied, imports, env_vars = [], set(), []
    for f, edits, description, notice, imps, env in planned:
        spans = [s for s, _ in edits]
        if any(a < tb and b > ta for a, b in spans for ta, tb in taken):
            if any((a, b) in taken for a, b in spans) and all((a, b) in taken for a, b in spans):
                applied.append({"id": f["id"], "description": description + " (shared edit)", **({"notice": notice} if notice else {})})
                continue
            rejected.append({"id": f["id"], "reason": "overlaps another fix"})
            continue
        candidate = text
        for (a, b), new in sorted(edits, key=lambda e: -e[0][0]):
            candidate = candidate[:a] + new + candidate[b:]
        try:
            ast.parse(candidate)
        except SyntaxError as e:
            rejected.append({"id": f["id"], "reason": "fix would break the syntax (%s)" % e.msg})
            continue
        text = candidate
        taken.extend(spans)
        imports |= imps
        env_vars.extend(env)
        item = {"id": f["id"], "description": description}
        if notice:
            item["notice"] = notice
        if env:
            item["env"] = env
        applied.append(item)
    if not applied:
        return {"file": rel, "text": None, "applied": [], "rejected": rejected}
    text = add_imports(text, ast.parse(text), imports)
    try:
        ast.parse(text)
    except SyntaxError as e:
        return {"file": rel, "text": None, "applied": [], "rejected": rejected + [{"id": a["id"], "reason": "imports broke the syntax (%s)" % e.msg} for a in applied]}
    return {"file": rel, "text": text, "applied": applied, "rejected": rejected}


def main():
    request = json.load(sys.stdin)
    root = request["root"]
    out = []
    for entry in request["files"]:
        rel = entry["file"]
        path = os.path.join(root, rel)
        if not rel.endswith(".py"):
            out.append({"file": rel, "text": None, "applied": [], "rejected": [{"id": f["id"], "reason": "only Python files are fixed"} for f in entry["findings"]]})
            continue
        out.append(fix_file(path, rel, entry["findings"]))
    json.dump({"files": out}, sys.stdout)


if __name__ == "__main__":
    main()
