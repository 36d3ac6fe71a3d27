import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/proxy")
def proxy():
    url = request.args.get("url")
    # ruleid: ssrf-tainted-url
    return requests.get(url).text


@app.route("/user")
def user():
    uid = request.args.get("id")
    # ok: ssrf-tainted-url
    return requests.get(f"https://api.example.com/users/{uid}").text


@app.route("/allowed")
def allowed():
    url = request.args.get("url")
    if url in ALLOWED_URLS:
        # ok: ssrf-tainted-url
        return requests.get(url).text
    return "no"
