from flask import Flask, make_response

app = Flask(__name__)


@app.route("/")
def index():
    resp = make_response("hi")
    # ruleid: insecure-cookie
    resp.set_cookie("session_id", "abc")
    # ruleid: insecure-cookie
    resp.set_cookie("session_id", "abc", secure=True)
    # ok: insecure-cookie
    resp.set_cookie("session_id", "abc", secure=True, httponly=True, samesite="Lax")
    return resp


# ruleid: insecure-cookie-setting
SESSION_COOKIE_SECURE = False
# ok: insecure-cookie-setting
SESSION_COOKIE_HTTPONLY = True
# ruleid: insecure-cookie-setting
app.config["SESSION_COOKIE_HTTPONLY"] = False
# ok: insecure-cookie-setting
DEBUG_TOOLBAR = False


def jar(cookiejar, cookie):
    # ok: insecure-cookie
    cookiejar.set_cookie(cookie)
