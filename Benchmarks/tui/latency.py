#!/usr/bin/env python3
"""Key-to-redraw latency of the whydenied TUI, driven through tmux, against baselines measured
in the same run:
  - pager: PageDown in whydenied's output pager over a 20,000-line command output, versus
    PageDown in `less -M` over the same 20,000 lines;
  - typing: é/日 typed into the parameter form, versus the same characters echoed by the
    terminal itself (`cat`, cooked mode: the cheapest redraw a terminal can do).
A sample is the time from `tmux send-keys` until `capture-pane` shows the expected screen,
so tmux's own round trip is in both sides of each ratio.

Usage: latency.py BINARY WORKDIR [SAMPLES]
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

binary, work = sys.argv[1], sys.argv[2]
samples = int(sys.argv[3]) if len(sys.argv) > 3 else 60
LINES = 20000
socket = f"whydenied-bench-{os.getpid()}"


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", socket, *args], check=check, capture_output=True, text=True).stdout


def tmux_detached(*args):
    # The server this starts outlives the call; it must not inherit a pipe we wait on.
    subprocess.run(["tmux", "-L", socket, *args], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def capture():
    return tmux("capture-pane", "-p", "-t", "bench", check=False)


def wait_for(predicate, timeout=20.0, what="screen"):
    deadline = time.monotonic() + timeout
    while True:
        screen = capture()
        if predicate(screen):
            return screen
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}; last screen:\n{screen}")
        time.sleep(0.0005)


def stop():
    # kill-server alone can leave the server running (tmux 3.3a); ending the session ends it.
    tmux("kill-session", "-t", "bench", check=False)
    tmux("kill-server", check=False)


def start(command, env):
    stop()
    exports = " ".join(f"{k}='{v}'" for k, v in env.items())
    tmux_detached("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "100", "-y", "30",
         "sh", "-c", f"env {exports} {command}; sleep 600")


def timed(keys, predicate, literal=False, what="redraw"):
    begin = time.monotonic()
    tmux("send-keys", "-t", "bench", *(["-l"] if literal else []), *keys)
    wait_for(predicate, what=what)
    return (time.monotonic() - begin) * 1000


def summary(name, values):
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1]
    print(f"  {name:44s} median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms   (n={len(values)})")
    return statistics.median(values)


# The 20,000-line output: a fake `aws` prints it for any call (plain text, with é and 日 in it).
os.makedirs(f"{work}/bin", exist_ok=True)
output = f"{work}/output.txt"
with open(output, "w") as f:
    for i in range(1, LINES + 1):
        f.write(f"line {i:05d} · résumé 日本語 · {'x' * (i % 40)}\n")
with open(f"{work}/bin/aws", "w") as f:
    f.write(f"#!/bin/sh\ncat '{output}'\n")
os.chmod(f"{work}/bin/aws", 0o755)
env = {"LANG": "C.UTF-8", "PATH": f"{work}/bin:" + os.environ["PATH"], "XDG_STATE_HOME": f"{work}/state",
       "AWS_REGION": "us-east-1", "TERM": "screen"}
results = {}

try:
    # whydenied pager: run the first command, open its output.
    start(f"'{binary}' guide --param principal=BenchRole --param region=us-east-1", env)
    wait_for(lambda s: "Parameters: type them" in s, what="the form")
    tmux("send-keys", "-t", "bench", "F2")
    wait_for(lambda s: "Next command" in s, what="the gate")
    tmux("send-keys", "-t", "bench", "Enter")
    wait_for(lambda s: "Last: aws sts" in s, timeout=60, what="the command to finish")
    tmux("send-keys", "-t", "bench", "o")
    wait_for(lambda s: f"of {LINES}" in s, what="the pager")
    page = 26  # 30 rows - banner, title, status, footer
    values = []
    top = 1
    for i in range(samples):
        top += page
        expected = f"lines {top}-{top + page - 1} of {LINES}"
        values.append(timed(["PageDown"], lambda s, e=expected: e in s, what=expected))
    results["pager"] = summary("whydenied pager, PageDown (20,000 lines)", values)
    values = [timed(["G"], lambda s: f"lines {LINES - page + 1}-{LINES} of {LINES}" in s),
              timed(["g"], lambda s: f"lines 1-{page} of {LINES}" in s)]
    for _ in range(samples // 10):
        values.append(timed(["G"], lambda s: f"lines {LINES - page + 1}-{LINES} of {LINES}" in s))
        values.append(timed(["g"], lambda s: f"lines 1-{page} of {LINES}" in s))
    summary("whydenied pager, G / g (ends)", values)
    tmux("send-keys", "-t", "bench", "/")
    tmux("send-keys", "-t", "bench", "-l", "line 19999")
    search = [timed(["Enter"], lambda s: "match 1 of 1" in s, what="search")]
    summary("whydenied pager, / search over 20,000 lines", search)

    # whydenied form: é and 日 typed into the principal field (cleared every 10 characters).
    tmux("send-keys", "-t", "bench", "Escape")
    stop()
    start(f"'{binary}' guide", env)
    wait_for(lambda s: "Parameters: type them" in s, what="the form")
    values = []
    typed = ""
    for i in range(samples):
        ch = "é" if i % 2 == 0 else "日"
        typed += ch
        expected = "▸ Principal (user/role name or ARN) *  " + typed
        values.append(timed([ch], lambda s, e=expected: any(line.rstrip() == e for line in s.splitlines()),
                            literal=True, what=expected))
        if len(typed) == 10:
            tmux("send-keys", "-t", "bench", "C-u")
            wait_for(lambda s: any(line.rstrip() == "▸ Principal (user/role name or ARN) *" for line in s.splitlines()))
            typed = ""
    results["typing"] = summary("whydenied form, typing é / 日", values)

    # Baseline 1: less over the same 20,000 lines.
    stop()
    start(f"less -M '{output}'", env)
    wait_for(lambda s: f"/{LINES}" in s, what="less")
    values = []
    top = 1
    less_page = 29
    for i in range(samples):
        top += less_page
        expected = f"lines {top}-{top + less_page - 1}/{LINES}"
        values.append(timed(["PageDown"], lambda s, e=expected: e in s, what=expected))
    results["less"] = summary("baseline: less -M, PageDown (same 20,000 lines)", values)

    # Baseline 2: the terminal's own echo of the same characters.
    stop()
    start("cat", env)
    time.sleep(0.3)
    values = []
    typed = ""
    for i in range(samples):
        ch = "é" if i % 2 == 0 else "日"
        typed += ch
        values.append(timed([ch], lambda s, e=typed: any(line.rstrip() == e for line in s.splitlines()),
                            literal=True, what=typed))
        if len(typed) == 10:
            # cat prints the line again after Enter; a new line starts empty.
            tmux("send-keys", "-t", "bench", "Enter")
            time.sleep(0.05)
            typed = ""
    results["echo"] = summary("baseline: terminal echo (cat), typing é / 日", values)
finally:
    stop()

print()
print(f"pager PageDown: whydenied / less      = {results['pager'] / results['less']:.2f}x")
print(f"typing é/日:    whydenied / tty echo  = {results['typing'] / results['echo']:.2f}x")
