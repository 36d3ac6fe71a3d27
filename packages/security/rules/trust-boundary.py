from flask import Flask, request, session

app = Flask(__name__)


@app.route("/prefs")
def prefs():
    # ruleid: trust-boundary-session
    session["role"] = request.args.get("role")
    # ok: trust-boundary-session
    session["page"] = int(request.args.get("page", "1"))
    # ok: trust-boundary-session
    session["seen"] = True
    return "ok"
