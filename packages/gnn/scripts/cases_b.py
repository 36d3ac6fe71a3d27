# Call-graph fixture cases, part B.
from cases_a import case

# ---------------- classes
case("classes", "init_and_method", {"main.py": "class C:\n    def __init__(self):\n        self.setup()\n    def setup(self):\n        pass\n\nC()\n"}, {"main": ["main.C.__init__"], "main.C.__init__": ["main.C.setup"]})
case("classes", "class_body_call", {"main.py": "def helper():\n    return 1\n\nclass C:\n    x = helper()\n"}, {"main.C": ["main.helper"]})
case("classes", "staticmethod", {"main.py": "class C:\n    @staticmethod\n    def s(f):\n        f()\n\ndef a():\n    pass\n\nC.s(a)\n"}, {"main": ["main.C.s"], "main.C.s": ["main.a"]})
case("classes", "classmethod_factory", {"main.py": "class C:\n    def __init__(self):\n        pass\n    @classmethod\n    def make(cls):\n        return cls()\n    def run(self):\n        pass\n\nC.make().run()\n"}, {"main": ["main.C.make", "main.C.run"], "main.C.make": ["main.C.__init__"]})
case("classes", "instance_attr_callable", {"main.py": "def a():\n    pass\n\nclass C:\n    def __init__(self, f):\n        self.f = f\n    def go(self):\n        self.f()\n\nC(a).go()\n"}, {"main": ["main.C.__init__", "main.C.go"], "main.C.go": ["main.a"]})
case("classes", "class_attr_callable", {"main.py": "def a():\n    pass\n\nclass C:\n    handler = staticmethod(a)\n    def go(self):\n        self.handler()\n\nC().go()\n"}, {"main": ["main.C.go"], "main.C": ["<builtin>.staticmethod"], "main.C.go": ["main.a"]})
case("classes", "property", {"main.py": "class C:\n    @property\n    def value(self):\n        return compute()\n\ndef compute():\n    return 1\n\nc = C()\nc.value\n"}, {"main": ["main.C.value"], "main.C.value": ["main.compute"]})
case("classes", "call_dunder", {"main.py": "class F:\n    def __call__(self):\n        pass\n\nf = F()\nf()\n"}, {"main": ["main.F.__call__"]})
case("classes", "nested_class", {"main.py": "class Outer:\n    class Inner:\n        def m(self):\n            pass\n\nOuter.Inner().m()\n"}, {"main": ["main.Outer.Inner.m"]})
case("classes", "self_passed", {"main.py": "class A:\n    def go(self):\n        helper(self)\n    def done(self):\n        pass\n\ndef helper(obj):\n    obj.done()\n\nA().go()\n"}, {"main": ["main.A.go"], "main.A.go": ["main.helper"], "main.helper": ["main.A.done"]})

# ---------------- mro
case("mro", "inherited_method", {"main.py": "class A:\n    def m(self):\n        pass\n\nclass B(A):\n    pass\n\nB().m()\n"}, {"main": ["main.A.m"]})
case("mro", "override", {"main.py": "class A:\n    def m(self):\n        pass\n\nclass B(A):\n    def m(self):\n        pass\n\nB().m()\n"}, {"main": ["main.B.m"]})
case("mro", "super_call", {"main.py": "class A:\n    def m(self):\n        pass\n\nclass B(A):\n    def m(self):\n        super().m()\n\nB().m()\n"}, {"main": ["main.B.m"], "main.B.m": ["main.A.m"]})
case("mro", "diamond", {"main.py": "class A:\n    def m(self):\n        pass\n\nclass B(A):\n    pass\n\nclass C(A):\n    def m(self):\n        pass\n\nclass D(B, C):\n    pass\n\nD().m()\n"}, {"main": ["main.C.m"]})
case("mro", "inherited_init", {"main.py": "class A:\n    def __init__(self):\n        pass\n\nclass B(A):\n    pass\n\nB()\n"}, {"main": ["main.A.__init__"]})
case("mro", "super_init", {"main.py": "class A:\n    def __init__(self):\n        pass\n\nclass B(A):\n    def __init__(self):\n        super().__init__()\n\nB()\n"}, {"main": ["main.B.__init__"], "main.B.__init__": ["main.A.__init__"]})
case("mro", "template_method", {"main.py": "class Base:\n    def run(self):\n        self.step()\n    def step(self):\n        pass\n\nclass Impl(Base):\n    def step(self):\n        pass\n\nBase().run()\nImpl().run()\n"}, {"main": ["main.Base.run"], "main.Base.run": ["main.Base.step", "main.Impl.step"]})
case("mro", "base_from_module", {"main.py": "from base import Base\n\nclass Child(Base):\n    pass\n\nChild().hello()\n", "base.py": "class Base:\n    def hello(self):\n        pass\n"}, {"main": ["base.Base.hello"]})
case("mro", "super_diamond", {"main.py": "class A:\n    def m(self):\n        pass\n\nclass B(A):\n    def m(self):\n        super().m()\n\nclass C(A):\n    def m(self):\n        pass\n\nclass D(B, C):\n    pass\n\nB().m()\nD().m()\n"}, {"main": ["main.B.m"], "main.B.m": ["main.A.m", "main.C.m"]})

# ---------------- decorators
case("decorators", "wrapper", {"main.py": "def deco(f):\n    def wrapper():\n        return f()\n    return wrapper\n\n@deco\ndef g():\n    pass\n\ng()\n"}, {"main": ["main.deco", "main.deco.wrapper"], "main.deco.wrapper": ["main.g"]})
case("decorators", "identity", {"main.py": "def register(f):\n    return f\n\n@register\ndef g():\n    pass\n\ng()\n"}, {"main": ["main.g", "main.register"]})
case("decorators", "with_args", {"main.py": "def tag(name):\n    def deco(f):\n        return f\n    return deco\n\n@tag('x')\ndef g():\n    pass\n\ng()\n"}, {"main": ["main.g", "main.tag", "main.tag.deco"]})
case("decorators", "stacked", {"main.py": "def d1(f):\n    return f\n\ndef d2(f):\n    return f\n\n@d1\n@d2\ndef g():\n    pass\n\ng()\n"}, {"main": ["main.d1", "main.d2", "main.g"]})
case("decorators", "external_decorator", {"main.py": "import functools\n\n@functools.lru_cache(maxsize=None)\ndef g():\n    pass\n\ng()\n"}, {"main": ["functools.lru_cache", "main.g"]})
case("decorators", "method_decorator", {"main.py": "def logged(f):\n    def inner(self):\n        return f(self)\n    return inner\n\nclass C:\n    @logged\n    def m(self):\n        pass\n\nC().m()\n"}, {"main": ["main.logged.inner"], "main.C": ["main.logged"], "main.logged.inner": ["main.C.m"]})
case("decorators", "class_decorator", {"main.py": "registry = []\n\ndef register(cls):\n    registry.append(cls)\n    return cls\n\n@register\nclass C:\n    def m(self):\n        pass\n\nC().m()\n"}, {"main": ["main.C.m", "main.register"]})

# ---------------- dicts
case("dicts", "dispatch", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nops = {'a': a, 'b': b}\nops['a']()\n"}, {"main": ["main.a"]})
case("dicts", "dynamic_key", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nops = {'a': a, 'b': b}\nfor k in ['a', 'b']:\n    ops[k]()\n"}, {"main": ["main.a", "main.b"]})
case("dicts", "assign_key", {"main.py": "def a():\n    pass\n\nops = {}\nops['x'] = a\nops['x']()\n"}, {"main": ["main.a"]})
case("dicts", "values_loop", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nfor f in {'a': a, 'b': b}.values():\n    f()\n"}, {"main": ["main.a", "main.b"]})
case("dicts", "get", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nops = {'a': a, 'b': b}\nops.get('b')()\n"}, {"main": ["main.b"]})
case("dicts", "dict_in_class", {"main.py": "class C:\n    def __init__(self):\n        self.table = {'go': self.go}\n    def go(self):\n        pass\n    def run(self):\n        self.table['go']()\n\nC().run()\n"}, {"main": ["main.C.__init__", "main.C.run"], "main.C.run": ["main.C.go"]})
case("dicts", "comprehension", {"main.py": "def a():\n    pass\n\nd = {k: a for k in 'xy'}\nd['x']()\n"}, {"main": ["main.a"]})

# ---------------- lists
case("lists", "index", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nfs = [a, b]\nfs[1]()\n"}, {"main": ["main.b"]})
case("lists", "loop", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nfor f in [a, b]:\n    f()\n"}, {"main": ["main.a", "main.b"]})
case("lists", "append", {"main.py": "def a():\n    pass\n\nhooks = []\nhooks.append(a)\nfor h in hooks:\n    h()\n"}, {"main": ["main.a"]})
case("lists", "tuple_index", {"main.py": "def a():\n    pass\n\ndef b():\n    pass\n\nt = (a, b)\nt[0]()\n"}, {"main": ["main.a"]})
case("lists", "set_loop", {"main.py": "def a():\n    pass\n\nfor f in {a}:\n    f()\n"}, {"main": ["main.a"]})
case("lists", "comprehension", {"main.py": "def a():\n    pass\n\nfs = [a for _ in range(2)]\nfs[0]()\n"}, {"main": ["<builtin>.range", "main.a"]})
case("lists", "list_of_instances", {"main.py": "class P:\n    def run(self):\n        pass\n\nfor p in [P(), P()]:\n    p.run()\n"}, {"main": ["main.P.run"]})

# ---------------- lambdas
case("lambdas", "call_lambda", {"main.py": "f = lambda: 1\nf()\n"}, {"main": ["main.<lambda1>"]})
case("lambdas", "lambda_calls", {"main.py": "def g():\n    pass\n\nf = lambda: g()\nf()\n"}, {"main": ["main.<lambda1>"], "main.<lambda1>": ["main.g"]})
case("lambdas", "lambda_param", {"main.py": "def g():\n    pass\n\nf = lambda h: h()\nf(g)\n"}, {"main": ["main.<lambda1>"], "main.<lambda1>": ["main.g"]})
case("lambdas", "lambda_arg", {"main.py": "def run(cb):\n    cb()\n\ndef g():\n    pass\n\nrun(lambda: g())\n"}, {"main": ["main.run"], "main.run": ["main.<lambda1>"], "main.<lambda1>": ["main.g"]})
case("lambdas", "lambda_in_function", {"main.py": "def g():\n    pass\n\ndef outer():\n    f = lambda: g()\n    f()\n\nouter()\n"}, {"main": ["main.outer"], "main.outer": ["main.outer.<lambda1>"], "main.outer.<lambda1>": ["main.g"]})
case("lambdas", "two_lambdas", {"main.py": "a = lambda: 1\nb = lambda: 2\nb()\n"}, {"main": ["main.<lambda2>"]})
case("lambdas", "lambda_in_dict", {"main.py": "def g():\n    pass\n\nops = {'x': lambda: g()}\nops['x']()\n"}, {"main": ["main.<lambda1>"], "main.<lambda1>": ["main.g"]})
