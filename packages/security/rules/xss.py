from django.utils.safestring import mark_safe
from flask import Flask, render_template, render_template_string, request
from markupsafe import Markup, escape

app = Flask(__name__)


def greet(name):
    # ruleid: xss-template-from-string
    return render_template_string(f"<h1>Hello {name}</h1>")


def badge(label):
    # ruleid: xss-template-from-string
    return mark_safe("<b>%s</b>" % label)


def badge_ok(label):
    # ok: xss-template-from-string
    return Markup("<b>%s</b>") % label


def greet_ok(name):
    # ok: xss-template-from-string
    return render_template_string("<h1>Hello {{ name }}</h1>", name=name)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: xss-reflected-response
    return "<p>Hello " + name + "</p>"


@app.route("/hello2")
def hello2():
    name = request.args.get("name", "")
    # ok: xss-reflected-response
    return "<p>Hello " + escape(name) + "</p>"


@app.route("/hello3")
def hello3():
    # ok: xss-reflected-response
    return render_template("hello.html", name=request.args.get("name"))
