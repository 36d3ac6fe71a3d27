from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/login")
def login():
    nxt = request.args.get("next")
    # ruleid: open-redirect
    return redirect(nxt)


@app.route("/login2")
def login2():
    nxt = request.args.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={"example.com"}):
        # ok: open-redirect
        return redirect(nxt)
    # ok: open-redirect
    return redirect(url_for("index"))
