# Call-graph fixture cases, part A. Each case: (category, name, {file: source}, {caller: [callees]}).
CASES = []
def case(cat, name, files, edges):
    CASES.append((cat, name, files, edges))

# ---------------- direct_calls
case("direct_calls", "simple", {"main.py": "def f():\n    pass\n\nf()\n"}, {"main": ["main.f"]})
case("direct_calls", "chain", {"main.py": "def a():\n    b()\n\ndef b():\n    c()\n\ndef c():\n    pass\n\na()\n"}, {"main": ["main.a"], "main.a": ["main.b"], "main.b": ["main.c"]})
case("direct_calls", "nested_def", {"main.py": "def outer():\n    def inner():\n        pass\n    inner()\n\nouter()\n"}, {"main": ["main.outer"], "main.outer": ["main.outer.inner"]})
case("direct_calls", "recursion", {"main.py": "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n\nfact(5)\n"}, {"main": ["main.fact"], "main.fact": ["main.fact"]})
case("direct_calls", "mutual", {"main.py": "def even(n):\n    return n == 0 or odd(n - 1)\n\ndef odd(n):\n    return n != 0 and even(n - 1)\n\neven(4)\n"}, {"main": ["main.even"], "main.even": ["main.odd"], "main.odd": ["main.even"]})
case("direct_calls", "shadowed_local", {"main.py": "def f():\n    pass\n\ndef g():\n    pass\n\ndef h():\n    f = g\n    f()\n\nh()\n"}, {"main": ["main.h"], "main.h": ["main.g"]})
case("direct_calls", "call_in_condition", {"main.py": "def check():\n    return True\n\ndef act():\n    pass\n\nif check():\n    act()\nwhile check():\n    break\n"}, {"main": ["main.act", "main.check"]})

# ---------------- functions
case("functions", "closure", {"main.py": "def make():\n    def helper():\n        pass\n    def run():\n        helper()\n    return run\n\nr = make()\nr()\n"}, {"main": ["main.make", "main.make.run"], "main.make.run": ["main.make.helper"]})
case("functions", "global_rebind", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nfn = a\n\ndef swap():\n    global fn\n    fn = b\n\ndef use():\n    fn()\n\nuse()\nswap()\nuse()\n"}, {"main": ["main.swap", "main.use"], "main.use": ["main.a", "main.b"]})
case("functions", "nonlocal_rebind", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef outer():\n    fn = a\n    def change():\n        nonlocal fn\n        fn = b\n    fn()\n    change()\n    fn()\n\nouter()\n"}, {"main": ["main.outer"], "main.outer": ["main.a", "main.b", "main.outer.change"]})
case("functions", "func_as_value_in_module", {"main.py": "def target():\n    pass\n\nalias = target\nother = alias\nother()\n"}, {"main": ["main.target"]})
case("functions", "nested_three", {"main.py": "def l1():\n    def l2():\n        def l3():\n            pass\n        l3()\n    l2()\n\nl1()\n"}, {"main": ["main.l1"], "main.l1": ["main.l1.l2"], "main.l1.l2": ["main.l1.l2.l3"]})
case("functions", "conditional_def", {"main.py": "import sys\n\nif sys.platform == 'x':\n    def impl():\n        print('a')\nelse:\n    def impl():\n        len('b')\n\nimpl()\n"}, {"main": ["main.impl"], "main.impl": ["<builtin>.len", "<builtin>.print"]})
case("functions", "async_def", {"main.py": "import asyncio\n\nasync def fetch():\n    return 1\n\nasync def main_():\n    await fetch()\n\nasyncio.run(main_())\n"}, {"main": ["asyncio.run", "main.main_"], "main.main_": ["main.fetch"]})

# ---------------- args
case("args", "pass_function", {"main.py": "def cb():\n    pass\n\ndef call(f):\n    f()\n\ncall(cb)\n"}, {"main": ["main.call"], "main.call": ["main.cb"]})
case("args", "two_callers", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef run(f):\n    f()\n\nrun(a)\nrun(b)\n"}, {"main": ["main.run"], "main.run": ["main.a", "main.b"]})
case("args", "positional_order", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef run(x, y):\n    y()\n\nrun(a, b)\n"}, {"main": ["main.run"], "main.run": ["main.b"]})
case("args", "default_value", {"main.py": "def d():\n    pass\n\ndef run(f=d):\n    f()\n\nrun()\n"}, {"main": ["main.run"], "main.run": ["main.d"]})
case("args", "star_args", {"main.py": "def a():\n    pass\n\ndef run(*fs):\n    for f in fs:\n        f()\n\nrun(a)\n"}, {"main": ["main.run"], "main.run": ["main.a"]})
case("args", "method_arg", {"main.py": "def cb():\n    pass\n\nclass R:\n    def go(self, f):\n        f()\n\nR().go(cb)\n"}, {"main": ["main.R.go"], "main.R.go": ["main.cb"]})
case("args", "forwarded", {"main.py": "def cb():\n    pass\n\ndef inner(g):\n    g()\n\ndef outer(f):\n    inner(f)\n\nouter(cb)\n"}, {"main": ["main.outer"], "main.outer": ["main.inner"], "main.inner": ["main.cb"]})

# ---------------- kwargs
case("kwargs", "keyword_arg", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef run(x, y):\n    x()\n\nrun(y=b, x=a)\n"}, {"main": ["main.run"], "main.run": ["main.a"]})
case("kwargs", "kw_only", {"main.py": "def a():\n    pass\n\ndef run(*, cb):\n    cb()\n\nrun(cb=a)\n"}, {"main": ["main.run"], "main.run": ["main.a"]})
case("kwargs", "double_star_param", {"main.py": "def a():\n    pass\n\ndef run(**kw):\n    kw['go']()\n\nrun(go=a)\n"}, {"main": ["main.run"], "main.run": ["main.a"]})
case("kwargs", "double_star_call", {"main.py": "def a():\n    pass\n\ndef run(cb):\n    cb()\n\nopts = {'cb': a}\nrun(**opts)\n"}, {"main": ["main.run"], "main.run": ["main.a"]})
case("kwargs", "kw_default_override", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef run(cb=a):\n    cb()\n\nrun()\nrun(cb=b)\n"}, {"main": ["main.run"], "main.run": ["main.a", "main.b"]})
case("kwargs", "kw_to_init", {"main.py": "def a():\n    pass\n\nclass C:\n    def __init__(self, hook):\n        self.hook = hook\n    def fire(self):\n        self.hook()\n\nC(hook=a).fire()\n"}, {"main": ["main.C.__init__", "main.C.fire"], "main.C.fire": ["main.a"]})
case("kwargs", "kwargs_get", {"main.py": "def a():\n    pass\n\ndef run(**kw):\n    f = kw.get('f')\n    f()\n\nrun(f=a)\n"}, {"main": ["main.run"], "main.run": ["main.a"]})

# ---------------- assignments
case("assignments", "chain", {"main.py": "def f():\n    pass\n\na = b = f\na()\nb()\n"}, {"main": ["main.f"]})
case("assignments", "tuple_unpack", {"main.py": "def f():\n    pass\n\ndef g():\n    pass\n\nx, y = f, g\ny()\n"}, {"main": ["main.g"]})
case("assignments", "swap", {"main.py": "def f():\n    pass\n\ndef g():\n    pass\n\nx, y = f, g\nx()\nx, y = y, x\nx()\n"}, {"main": ["main.f", "main.g"]})
case("assignments", "instance", {"main.py": "class C:\n    def m(self):\n        pass\n\nx = C()\nx.m()\n"}, {"main": ["main.C.m"]})
case("assignments", "bound_method", {"main.py": "class C:\n    def m(self):\n        pass\n\nf = C().m\nf()\n"}, {"main": ["main.C.m"]})
case("assignments", "attribute_store", {"main.py": "def f():\n    pass\n\nclass Box:\n    pass\n\nb = Box()\nb.fn = f\nb.fn()\n"}, {"main": ["main.f"]})
case("assignments", "walrus", {"main.py": "def f():\n    return 1\n\ndef g():\n    pass\n\nif (h := g):\n    h()\n"}, {"main": ["main.g"]})

# ---------------- returns
case("returns", "return_function", {"main.py": "def f():\n    pass\n\ndef get():\n    return f\n\nget()()\n"}, {"main": ["main.f", "main.get"]})
case("returns", "return_instance", {"main.py": "class C:\n    def m(self):\n        pass\n\ndef make():\n    return C()\n\nmake().m()\n"}, {"main": ["main.C.m", "main.make"]})
case("returns", "return_param", {"main.py": "def f():\n    pass\n\ndef ident(x):\n    return x\n\nident(f)()\n"}, {"main": ["main.f", "main.ident"]})
case("returns", "return_nested", {"main.py": "def outer():\n    def inner():\n        pass\n    return inner\n\nfn = outer()\nfn()\n"}, {"main": ["main.outer", "main.outer.inner"]})
case("returns", "return_conditional", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef pick(flag):\n    return a if flag else b\n\npick(True)()\n"}, {"main": ["main.a", "main.b", "main.pick"]})
case("returns", "return_bound_method", {"main.py": "class C:\n    def m(self):\n        pass\n    def get(self):\n        return self.m\n\nC().get()()\n"}, {"main": ["main.C.get", "main.C.m"]})
case("returns", "return_tuple", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\ndef both():\n    return a, b\n\nx, y = both()\ny()\n"}, {"main": ["main.b", "main.both"]})

# ---------------- builtins
case("builtins", "print_len", {"main.py": "print(len('abc'))\n"}, {"main": ["<builtin>.len", "<builtin>.print"]})
case("builtins", "in_function", {"main.py": "def f(xs):\n    return sorted(xs), max(xs)\n\nf([1])\n"}, {"main": ["main.f"], "main.f": ["<builtin>.max", "<builtin>.sorted"]})
case("builtins", "shadowed", {"main.py": "def print(x):\n    pass\n\nprint(1)\n"}, {"main": ["main.print"]})
case("builtins", "constructors", {"main.py": "x = int('1')\ny = str(x)\nz = list(range(3))\n"}, {"main": ["<builtin>.int", "<builtin>.list", "<builtin>.range", "<builtin>.str"]})
case("builtins", "isinstance", {"main.py": "class C:\n    pass\n\nc = C()\nif isinstance(c, C):\n    print('yes')\n"}, {"main": ["<builtin>.isinstance", "<builtin>.print"]})
case("builtins", "builtin_alias", {"main.py": "p = print\np('x')\n"}, {"main": ["<builtin>.print"]})
case("builtins", "open_with", {"main.py": "with open('f') as fh:\n    pass\n"}, {"main": ["<builtin>.open"]})
