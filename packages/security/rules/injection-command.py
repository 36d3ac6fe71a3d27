import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


def archive(name):
    # ruleid: command-injection-shell
    os.system("tar czf /tmp/out.tgz " + name)
    # ruleid: command-injection-shell
    subprocess.run(f"ls -l {name}", shell=True)
    # ruleid: command-injection-shell
    subprocess.check_output("grep %s /etc/hosts" % name, shell=True)
    # ruleid: command-injection-shell
    os.popen("cat " + name).read()
    # ok: command-injection-shell
    subprocess.run(["tar", "czf", "/tmp/out.tgz", name], check=True)
    # ok: command-injection-shell
    os.system("sync")


def constant():
    # ruleid: subprocess-shell-true
    subprocess.run("ls -l /tmp", shell=True)
    # ok: subprocess-shell-true
    subprocess.run(["ls", "-l", "/tmp"])


@app.route("/ping")
def ping():
    host = request.args.get("host")
    # ruleid: command-injection-tainted-argv
    subprocess.run([host, "-c", "1"])
    # ok: command-injection-tainted-argv
    subprocess.run(["ping", "-c", "1", "--", host])
    return "ok"
