import ast

from flask import Flask, request

app = Flask(__name__)


def calc(expr):
    # ruleid: code-injection-eval
    return eval(expr)


def run(src):
    # ruleid: code-injection-eval
    exec(src)
    # ok: code-injection-eval
    eval("1 + 2")
    # ok: code-injection-eval
    return ast.literal_eval(src)


def pattern(p):
    # ok: code-injection-eval
    return re.compile(p)


@app.route("/calc")
def web_calc():
    # ruleid: code-injection-tainted, code-injection-eval
    return str(eval(request.args["q"]))


@app.route("/safe")
def web_safe():
    q = request.args["q"]
    # ok: code-injection-tainted
    return str(ast.literal_eval(q))
