import os

from flask import Flask

app = Flask(__name__)

# ruleid: django-debug-setting
DEBUG = True

if __name__ == "__main__":
    # ruleid: debug-mode-enabled
    app.run(host="127.0.0.1", debug=True)
    # ok: debug-mode-enabled
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
