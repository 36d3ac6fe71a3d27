/**
 * The Python helper behind test generation, embedded as text so the built package needs no data
 * files. It only parses (Python's `ast`); it never imports or runs project code, except
 * `importlib.util.find_spec` on top-level module names to tell installed packages from missing ones.
 *
 * Commands (JSON on stdout):
 * - `analyse ROOT FILE [SYMBOL]`: functions and methods with parameters, annotations, defaults,
 *   raises, branches, early returns and the names they call; parse errors as diagnostics.
 * - `validate ROOT FILE`: parse result, imports that do not resolve, test functions with line spans.
 * - `style ROOT`: how the existing tests look (layout, naming, fixtures, classes, parametrize).
 */
export const HELPER_SOURCE = `
import ast
import importlib.util
import json
import os
import sys


def out(obj):
    sys.stdout.write(json.dumps(obj))


def read(path):
    with open(path, "r", encoding="utf-8", errors="replace") as fh:
        return fh.read()


def parse(path):
    src = read(path)
    try:
        return src, ast.parse(src, filename=path), None
    except SyntaxError as exc:
        return src, None, {"line": exc.lineno or 0, "message": exc.msg}


def unparse(node):
    try:
        return ast.unparse(node)
    except Exception:
        return None


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return base + "." + node.attr if base else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return None


def params_of(fn):
    a = fn.args
    out_params = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for arg, default in zip(positional, defaults):
        out_params.append({"name": arg.arg, "kind": "positional", "annotation": unparse(arg.annotation) if arg.annotation else None,
                           "default": unparse(default) if default is not None else None})
    if a.vararg:
        out_params.append({"name": a.vararg.arg, "kind": "varargs", "annotation": unparse(a.vararg.annotation) if a.vararg.annotation else None, "default": None})
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out_params.append({"name": arg.arg, "kind": "keyword", "annotation": unparse(arg.annotation) if arg.annotation else None,
                           "default": unparse(default) if default is not None else None})
    if a.kwarg:
        out_params.append({"name": a.kwarg.arg, "kind": "kwargs", "annotation": unparse(a.kwarg.annotation) if a.kwarg.annotation else None, "default": None})
    return out_params


class Body(ast.NodeVisitor):
    """Walks one function body without descending into nested functions or classes."""

    def __init__(self):
        self.raises = []
        self.branches = []
        self.returns = []
        self.calls = set()
        self.guards = []

    def visit_FunctionDef(self, node):
        pass

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        pass

    def visit_If(self, node):
        self.branches.append({"line": node.lineno, "kind": "if", "condition": unparse(node.test)})
        self.guards.append(unparse(node.test))
        self.generic_visit(node)
        self.guards.pop()

    def visit_For(self, node):
        self.branches.append({"line": node.lineno, "kind": "for", "condition": unparse(node.iter)})
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_While(self, node):
        self.branches.append({"line": node.lineno, "kind": "while", "condition": unparse(node.test)})
        self.generic_visit(node)

    def visit_Try(self, node):
        for h in node.handlers:
            self.branches.append({"line": h.lineno, "kind": "except", "condition": unparse(h.type) if h.type else "BaseException"})
        self.generic_visit(node)

    def visit_Match(self, node):
        for case in node.cases:
            self.branches.append({"line": case.pattern.lineno, "kind": "case", "condition": unparse(case.pattern)})
        self.generic_visit(node)

    def visit_IfExp(self, node):
        self.branches.append({"line": node.lineno, "kind": "ternary", "condition": unparse(node.test)})
        self.generic_visit(node)

    def visit_Raise(self, node):
        exc = node.exc
        name = dotted(exc) if exc is not None else None
        message = None
        if isinstance(exc, ast.Call) and exc.args and isinstance(exc.args[0], ast.Constant) and isinstance(exc.args[0].value, str):
            message = exc.args[0].value
        self.raises.append({"line": node.lineno, "exception": name or "re-raise", "message": message,
                            "guard": self.guards[-1] if self.guards else None})
        self.generic_visit(node)

    def visit_Return(self, node):
        self.returns.append({"line": node.lineno, "value": unparse(node.value) if node.value else None,
                             "guard": self.guards[-1] if self.guards else None})
        self.generic_visit(node)

    def visit_Call(self, node):
        name = dotted(node.func)
        if name:
            self.calls.add(name)
        self.generic_visit(node)


def describe_function(fn, qualname, cls=None):
    body = Body()
    for stmt in fn.body:
        body.visit(stmt)
    last_line = fn.body[-1].lineno if fn.body else fn.lineno
    early = [r for r in body.returns if r["line"] < last_line]
    start = min([d.lineno for d in fn.decorator_list] + [fn.lineno])
    return {
        "name": fn.name,
        "qualname": qualname,
        "className": cls,
        "isAsync": isinstance(fn, ast.AsyncFunctionDef),
        "start": start,
        "line": fn.lineno,
        "end": fn.end_lineno,
        "params": params_of(fn),
        "returns": unparse(fn.returns) if fn.returns else None,
        "decorators": [unparse(d) for d in fn.decorator_list],
        "docstring": (ast.get_docstring(fn) or "").split("\\n")[0],
        "raises": body.raises,
        "branches": body.branches,
        "earlyReturns": early,
        "calls": sorted(body.calls),
    }


def module_name(root, path):
    rel = os.path.relpath(path, root)
    parts = rel[:-3].split(os.sep) if rel.endswith(".py") else rel.split(os.sep)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def analyse(root, path, symbol):
    src, tree, error = parse(path)
    result = {"file": os.path.relpath(path, root), "module": module_name(root, path), "functions": [], "classes": [],
              "imports": [], "diagnostics": [], "source": src}
    if tree is None:
        result["diagnostics"].append(error)
        return result
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            result["imports"].append(unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            result["functions"].append(describe_function(node, node.name))
        elif isinstance(node, ast.ClassDef):
            methods = []
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods.append(describe_function(item, node.name + "." + item.name, node.name))
            result["classes"].append({"name": node.name, "line": node.lineno, "start": min([d.lineno for d in node.decorator_list] + [node.lineno]),
                                      "end": node.end_lineno, "bases": [unparse(b) for b in node.bases], "methods": methods})
            result["functions"].extend(methods)
    if symbol:
        keep = [f for f in result["functions"] if f["qualname"] == symbol or f["name"] == symbol or f["qualname"].startswith(symbol + ".")]
        result["functions"] = keep
        result["classes"] = [c for c in result["classes"] if c["name"] == symbol]
    return result


def top_level_names(tree):
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        names.add(n.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.If, ast.Try)):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.FunctionDef, ast.ClassDef)):
                    names.add(sub.name)
                elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                    for alias in sub.names:
                        names.add((alias.asname or alias.name).split(".")[0])
                elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
    return names


def local_module(root, dotted_name):
    parts = dotted_name.split(".")
    for base in (root, os.path.join(root, "src")):
        p = os.path.join(base, *parts)
        if os.path.isfile(p + ".py"):
            return p + ".py"
        if os.path.isfile(os.path.join(p, "__init__.py")):
            return os.path.join(p, "__init__.py")
        if os.path.isdir(p):
            return p
    return None


def check_import(root, module, names):
    """Returns a problem string, or None when the import resolves."""
    local = local_module(root, module)
    if local is not None:
        if not names or os.path.isdir(local):
            return None
        try:
            tree = ast.parse(read(local))
        except SyntaxError:
            return None
        defined = top_level_names(tree)
        missing = [n for n in names if n != "*" and n not in defined and local_module(root, module + "." + n) is None]
        if missing:
            return "module " + module + " has no " + ", ".join(missing)
        return None
    top = module.split(".")[0]
    if local_module(root, top) is not None:
        return "module " + module + " does not exist in the project"
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return None
    if importlib.util.find_spec(top) is None:
        return "module " + top + " is not installed and not in the project"
    return None


def validate(root, path):
    src, tree, error = parse(path)
    if tree is None:
        out({"ok": False, "syntaxError": error, "problems": [], "tests": [], "fixtures": []})
        return
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                p = check_import(root, alias.name, [])
                if p:
                    problems.append({"line": node.lineno, "message": p})
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            p = check_import(root, node.module, [a.name for a in node.names])
            if p:
                problems.append({"line": node.lineno, "message": p})
    tests = []
    fixtures = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            decorators = [unparse(d) or "" for d in node.decorator_list]
            if any("fixture" in d for d in decorators):
                fixtures.append(node.name)
            elif node.name.startswith("test"):
                tests.append({"name": node.name, "start": start, "end": node.end_lineno})
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            tests.append({"name": node.name, "start": start, "end": node.end_lineno})
    out({"ok": not problems, "syntaxError": None, "problems": problems, "tests": tests, "fixtures": fixtures})


SKIP_DIRS = {".git", ".venv", "venv", "node_modules", ".yantra", "__pycache__", ".tox", ".mypy_cache", "build", "dist"}


def style(root):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
        for f in filenames:
            if f.endswith(".py") and (f.startswith("test_") or f.endswith("_test.py") or f == "conftest.py"):
                files.append(os.path.join(dirpath, f))
    files.sort()
    fixtures, classes, funcs, parametrized, imports = [], 0, 0, 0, []
    for path in files[:200]:
        try:
            tree = ast.parse(read(path))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = [unparse(d) or "" for d in node.decorator_list]
                if any("fixture" in d for d in decorators):
                    fixtures.append({"name": node.name, "file": os.path.relpath(path, root)})
                elif node.name.startswith("test"):
                    funcs += 1
                    if any("parametrize" in d for d in decorators):
                        parametrized += 1
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                classes += 1
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and len(imports) < 12:
                imports.append(unparse(node))
    tests_only = [f for f in files if not f.endswith("conftest.py")]
    dirs = sorted({os.path.relpath(os.path.dirname(f), root) for f in tests_only})
    out({
        "testFiles": [os.path.relpath(f, root) for f in tests_only][:50],
        "testDirs": dirs,
        "suffixNaming": any(f.endswith("_test.py") for f in tests_only),
        "fixtures": fixtures[:40],
        "testClasses": classes,
        "testFunctions": funcs,
        "parametrized": parametrized,
        "sampleImports": sorted(set(imports)),
    })


def main():
    cmd = sys.argv[1]
    root = os.path.abspath(sys.argv[2])
    sys.path.insert(0, root)
    if cmd == "analyse":
        out(analyse(root, os.path.join(root, sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None))
    elif cmd == "validate":
        validate(root, os.path.join(root, sys.argv[3]))
    elif cmd == "style":
        style(root)
    else:
        raise SystemExit("unknown command " + cmd)


main()
`;
