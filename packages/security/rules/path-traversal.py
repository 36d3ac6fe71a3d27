import os
from http.server import BaseHTTPRequestHandler

from fastapi import FastAPI
from flask import Flask, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
BASE = "/srv/files"


@app.route("/download")
def download():
    name = request.args.get("name")
    # ruleid: path-traversal-tainted-open
    return open(os.path.join(BASE, name)).read()


@app.route("/file")
def file():
    # ruleid: path-traversal-tainted-open
    return send_file(BASE + "/" + request.args["f"])


@app.route("/ok")
def ok():
    name = secure_filename(request.args.get("name"))
    # ok: path-traversal-tainted-open
    return open(os.path.join(BASE, name)).read()


@api.get("/items/{name}")
async def item(name: str):
    # ruleid: path-traversal-tainted-open
    with open(f"/srv/items/{name}") as f:
        return f.read()


@api.get("/items2/{name}")
async def item2(name: str):
    # ok: path-traversal-tainted-open
    with open(os.path.join("/srv/items", os.path.basename(name))) as f:
        return f.read()


def local():
    # ok: path-traversal-tainted-open
    return open("/etc/app.conf").read()


def cli_tool():
    import sys
    # ok: path-traversal-tainted-open
    return open(sys.argv[1]).read()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        # ruleid: path-traversal-tainted-open
        with open("/srv/www" + self.path) as f:
            self.wfile.write(f.read().encode())
