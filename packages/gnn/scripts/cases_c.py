# Call-graph fixture cases, part C.
from cases_a import case

# ---------------- generators
case("generators", "iterate_generator", {"main.py": "def gen():\n    yield 1\n\nfor x in gen():\n    pass\n"}, {"main": ["main.gen"]})
case("generators", "yield_function", {"main.py": "def a():\n    pass\n\ndef gen():\n    yield a\n\nfor f in gen():\n    f()\n"}, {"main": ["main.a", "main.gen"]})
case("generators", "next_builtin", {"main.py": "def a():\n    pass\n\ndef gen():\n    yield a\n\ng = gen()\nnext(g)()\n"}, {"main": ["<builtin>.next", "main.a", "main.gen"]})
case("generators", "iter_protocol", {"main.py": "class It:\n    def __iter__(self):\n        return self\n    def __next__(self):\n        raise StopIteration\n\nfor x in It():\n    pass\n"}, {"main": ["main.It.__iter__", "main.It.__next__"], "main.It.__next__": ["<builtin>.StopIteration"]})
case("generators", "yield_from", {"main.py": "def a():\n    pass\n\ndef inner():\n    yield a\n\ndef outer():\n    yield from inner()\n\nfor f in outer():\n    f()\n"}, {"main": ["main.a", "main.outer"], "main.outer": ["main.inner"]})
case("generators", "generator_method", {"main.py": "class C:\n    def items(self):\n        yield self.x\n    def x(self):\n        pass\n\nfor f in C().items():\n    f()\n"}, {"main": ["main.C.items", "main.C.x"]})
case("generators", "genexp", {"main.py": "def a():\n    pass\n\nfor f in (a for _ in [1]):\n    f()\n"}, {"main": ["main.a"]})

# ---------------- exceptions
case("exceptions", "raise_custom", {"main.py": "class MyError(Exception):\n    def __init__(self, msg):\n        super().__init__(msg)\n\ndef f():\n    raise MyError('x')\n\ntry:\n    f()\nexcept MyError:\n    pass\n"}, {"main": ["main.f"], "main.f": ["main.MyError.__init__"]})
case("exceptions", "except_as", {"main.py": "class E(Exception):\n    def describe(self):\n        pass\n\ntry:\n    pass\nexcept E as e:\n    e.describe()\n"}, {"main": ["main.E.describe"]})
case("exceptions", "raise_class", {"main.py": "class E(Exception):\n    def __init__(self):\n        pass\n\ndef f():\n    raise E\n\nf()\n"}, {"main": ["main.f"], "main.f": ["main.E.__init__"]})
case("exceptions", "finally_call", {"main.py": "def cleanup():\n    pass\n\ndef work():\n    pass\n\ntry:\n    work()\nfinally:\n    cleanup()\n"}, {"main": ["main.cleanup", "main.work"]})
case("exceptions", "except_tuple", {"main.py": "class A(Exception):\n    def h(self):\n        pass\n\nclass B(Exception):\n    def h(self):\n        pass\n\ntry:\n    pass\nexcept (A, B) as e:\n    e.h()\n"}, {"main": ["main.A.h", "main.B.h"]})
case("exceptions", "builtin_raise", {"main.py": "def f(x):\n    if x < 0:\n        raise ValueError('neg')\n\nf(1)\n"}, {"main": ["main.f"], "main.f": ["<builtin>.ValueError"]})
case("exceptions", "handler_call", {"main.py": "def risky():\n    pass\n\ndef report():\n    pass\n\ntry:\n    risky()\nexcept Exception:\n    report()\nelse:\n    report()\n"}, {"main": ["main.report", "main.risky"]})

# ---------------- imports
case("imports", "import_module", {"main.py": "import util\n\nutil.f()\n", "util.py": "def f():\n    pass\n"}, {"main": ["util.f"]})
case("imports", "from_import_alias", {"main.py": "from util import f as g\n\ng()\n", "util.py": "def f():\n    pass\n"}, {"main": ["util.f"]})
case("imports", "package_reexport", {"main.py": "from pkg import f\n\nf()\n", "pkg/__init__.py": "from .impl import f\n", "pkg/impl.py": "def f():\n    pass\n"}, {"main": ["pkg.impl.f"]})
case("imports", "relative_parent", {"main.py": "from pkg.sub.mod import run\n\nrun()\n", "pkg/__init__.py": "", "pkg/helpers.py": "def h():\n    pass\n", "pkg/sub/__init__.py": "", "pkg/sub/mod.py": "from ..helpers import h\n\ndef run():\n    h()\n"}, {"main": ["pkg.sub.mod.run"], "pkg.sub.mod.run": ["pkg.helpers.h"]})
case("imports", "star_all", {"main.py": "from util import *\n\npublic()\n", "util.py": "__all__ = ['public']\n\ndef public():\n    pass\n\ndef hidden():\n    pass\n"}, {"main": ["util.public"]})
case("imports", "star_all_excludes", {"main.py": "from util import *\n\ndef hidden():\n    pass\n\nhidden()\n", "util.py": "__all__ = ['public']\n\ndef public():\n    pass\n\ndef hidden():\n    pass\n"}, {"main": ["main.hidden"]})
case("imports", "import_submodule", {"main.py": "import pkg.mod\n\npkg.mod.f()\n", "pkg/__init__.py": "", "pkg/mod.py": "def f():\n    pass\n"}, {"main": ["pkg.mod.f"]})
case("imports", "import_as_module", {"main.py": "import pkg.mod as m\n\nm.f()\n", "pkg/__init__.py": "", "pkg/mod.py": "def f():\n    pass\n"}, {"main": ["pkg.mod.f"]})
case("imports", "from_package_import_module", {"main.py": "from pkg import mod\n\nmod.f()\n", "pkg/__init__.py": "", "pkg/mod.py": "def f():\n    pass\n"}, {"main": ["pkg.mod.f"]})
case("imports", "class_import", {"main.py": "from models import User\n\nu = User('a')\nu.save()\n", "models.py": "class User:\n    def __init__(self, name):\n        self.name = name\n    def save(self):\n        pass\n"}, {"main": ["models.User.__init__", "models.User.save"]})
case("imports", "local_import", {"main.py": "def run():\n    from util import f\n    f()\n\nrun()\n", "util.py": "def f():\n    pass\n"}, {"main": ["main.run"], "main.run": ["util.f"]})
case("imports", "module_level_calls", {"main.py": "import util\n", "util.py": "def setup():\n    pass\n\nsetup()\n"}, {"util": ["util.setup"]})

# ---------------- external
case("external", "os_path", {"main.py": "import os\n\nos.path.join('a', 'b')\n"}, {"main": ["os.path.join"]})
case("external", "from_import", {"main.py": "from os.path import join\n\njoin('a')\n"}, {"main": ["os.path.join"]})
case("external", "alias", {"main.py": "import numpy as np\n\nnp.array([1])\n"}, {"main": ["numpy.array"]})
case("external", "external_class_method", {"main.py": "from collections import OrderedDict\n\nd = OrderedDict()\n"}, {"main": ["collections.OrderedDict"]})
case("external", "subclass_external", {"main.py": "import threading\n\nclass Worker(threading.Thread):\n    def run(self):\n        helper()\n\ndef helper():\n    pass\n\nWorker().run()\n"}, {"main": ["main.Worker.run"], "main.Worker.run": ["main.helper"]})
case("external", "in_function", {"main.py": "import json\n\ndef save(x):\n    return json.dumps(x)\n\nsave(1)\n"}, {"main": ["main.save"], "main.save": ["json.dumps"]})
case("external", "external_callback", {"main.py": "import atexit\n\ndef bye():\n    pass\n\natexit.register(bye)\n"}, {"main": ["atexit.register"]})

# ---------------- dynamic
case("dynamic", "getattr_not_certain", {"main.py": "class C:\n    def m(self):\n        pass\n\ngetattr(C(), 'm')()\n"}, {"main": ["<builtin>.getattr"]})
case("dynamic", "eval_ignored", {"main.py": "def f():\n    pass\n\neval('f()')\n"}, {"main": ["<builtin>.eval"]})
case("dynamic", "type_call", {"main.py": "class C:\n    def __init__(self):\n        pass\n\nc = C()\ntype(c)()\n"}, {"main": ["<builtin>.type", "main.C.__init__"]})
case("dynamic", "setattr_unknown", {"main.py": "class C:\n    pass\n\ndef f():\n    pass\n\nc = C()\nsetattr(c, 'g', f)\n"}, {"main": ["<builtin>.setattr"]})
case("dynamic", "conditional_callable", {"main.py": "import random\n\ndef a():\n    pass\n\ndef b():\n    pass\n\nfn = a if random.random() > 0.5 else b\nfn()\n"}, {"main": ["main.a", "main.b", "random.random"]})
case("dynamic", "callable_check", {"main.py": "def a():\n    pass\n\nx = a\nif callable(x):\n    x()\n"}, {"main": ["<builtin>.callable", "main.a"]})
case("dynamic", "globals_lookup", {"main.py": "def a():\n    pass\n\nglobals()['a']()\n"}, {"main": ["<builtin>.globals"]})
