"""Writes fixtures/callgraph/<category>/<case>/ from the case tables.

Expected call graphs: keys are every module, class, function, method and lambda (enumerated with
Python's own ast module, independently of the TypeScript extractor); values are the hand-written
edges of the tables. Run: python3 scripts/gen_fixtures.py
"""
import ast, json, os, shutil, sys
sys.path.insert(0, os.path.dirname(__file__))
from cases_a import CASES
import cases_b, cases_c  # noqa: F401  (they register more cases)

ROOT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "callgraph")

def module_name(path):
    parts = path[:-3].split("/")
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)

def scopes(mod, source):
    out = [mod]
    def visit(node, prefix):
        lambdas = 0
        def walk(n):
            nonlocal lambdas
            for child in ast.iter_child_nodes(n):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    name = f"{prefix}.{child.name}"
                    if name not in out:
                        out.append(name)
                    for d in child.decorator_list:
                        walk_expr(d)
                    if not isinstance(child, ast.ClassDef):
                        for dflt in child.args.defaults + [x for x in child.args.kw_defaults if x]:
                            walk_expr(dflt)
                    visit(child, name)
                elif isinstance(child, ast.Lambda):
                    lambdas += 1
                    name = f"{prefix}.<lambda{lambdas}>"
                    out.append(name)
                    visit(child, name)
                else:
                    walk(child)
        def walk_expr(e):
            nonlocal lambdas
            if isinstance(e, ast.Lambda):
                lambdas += 1
                name = f"{prefix}.<lambda{lambdas}>"
                out.append(name)
                visit(e, name)
            else:
                walk(e)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            for b in body:
                if isinstance(b, ast.Lambda):
                    walk_expr(b)
                else:
                    walk(ast.Module(body=[b], type_ignores=[])) if isinstance(b, ast.stmt) else walk(ast.Expr(value=b))
        else:
            walk(node)
    visit(ast.parse(source), mod)
    return out

def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    seen = set()
    for cat, name, files, edges in CASES:
        assert (cat, name) not in seen, (cat, name)
        seen.add((cat, name))
        d = os.path.join(ROOT, cat, name)
        keys = []
        for path, src in files.items():
            p = os.path.join(d, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as fh:
                fh.write(src)
            for k in scopes(module_name(path), src):
                if k not in keys:
                    keys.append(k)
        for k in edges:
            assert k in keys, f"{cat}/{name}: caller {k} is not a scope ({keys})"
        cg = {k: sorted(edges.get(k, [])) for k in sorted(keys)}
        with open(os.path.join(d, "callgraph.json"), "w") as fh:
            json.dump(cg, fh, indent=2, sort_keys=True)
            fh.write("\n")
    print(f"{len(CASES)} cases in {len({c for c, *_ in CASES})} categories")

main()
