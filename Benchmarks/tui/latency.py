#!/usr/bin/env python3
"""Key-to-redraw latency of the whydenied TUI, driven through tmux, against baselines measured
in the same run and interleaved sample by sample (so machine load hits both sides alike):
  - pager: PageDown in whydenied's output pager over a 20,000-line command output, versus
    PageDown in `less -M` over the same 20,000 lines;
  - typing: é/日 typed into the parameter form, versus the same characters echoed by the
    terminal itself (`cat`, cooked mode: the cheapest redraw a terminal can do).
A sample is the time from `tmux send-keys` until `capture-pane` shows the expected screen, so
tmux's own round trip is on both sides of each ratio.

Usage: latency.py BINARY WORKDIR [SAMPLES]
"""
import os
import statistics
import subprocess
import sys
import time

binary, work = sys.argv[1], sys.argv[2]
samples = int(sys.argv[3]) if len(sys.argv) > 3 else 60
LINES = 20000


class Pane:
    """A program in its own tmux server (100x30)."""

    def __init__(self, name, command, env):
        self.socket = f"whydenied-bench-{name}-{os.getpid()}"
        exports = " ".join(f"{k}='{v}'" for k, v in env.items())
        # The server outlives this call; it must not inherit a pipe we would wait on.
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "bench",
                        "-x", "100", "-y", "30", "sh", "-c", f"env {exports} {command}; sleep 600"],
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True).stdout

    def keys(self, *keys, literal=False):
        self.tmux("send-keys", "-t", "bench", *(["-l"] if literal else []), *keys)

    def wait_for(self, predicate, timeout=30.0, what="screen"):
        deadline = time.monotonic() + timeout
        while True:
            screen = self.tmux("capture-pane", "-p", "-t", "bench")
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}; last screen:\n{screen}")
            time.sleep(0.0005)

    def timed(self, keys, predicate, literal=False, what="redraw"):
        begin = time.monotonic()
        self.keys(*keys, literal=literal)
        self.wait_for(predicate, what=what)
        return (time.monotonic() - begin) * 1000

    def close(self):
        # kill-server alone can leave the server running (tmux 3.3a); ending the session ends it.
        self.tmux("kill-session", "-t", "bench")
        self.tmux("kill-server")


def summary(name, values):
    values = sorted(values)
    p95 = values[max(0, int(len(values) * 0.95) - 1)]
    print(f"  {name:48s} median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms   (n={len(values)})")
    return statistics.median(values)


def has_line(expected):
    return lambda screen: any(line.rstrip() == expected for line in screen.splitlines())


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
panes = []
results = {}
try:
    # whydenied: run the first command (the fake aws), open its output in the pager.
    pager = Pane("pager", f"'{binary}' guide --param principal=BenchRole --param region=us-east-1", env)
    panes.append(pager)
    pager.wait_for(lambda s: "Parameters: type them" in s, what="the form")
    pager.keys("F2")
    pager.wait_for(lambda s: "Next command" in s, what="the gate")
    pager.keys("Enter")
    pager.wait_for(lambda s: "Last: aws sts" in s, timeout=60, what="the command to finish")
    pager.keys("o")
    pager.wait_for(lambda s: f"of {LINES}" in s, what="the pager")
    less = Pane("less", f"less -M '{output}'", env)
    panes.append(less)
    less.wait_for(lambda s: f"/{LINES}" in s, what="less")

    ours, base = [], []
    top, less_top = 1, 1
    page, less_page = 26, 29  # rows of text each shows at 100x30
    for _ in range(samples):
        top += page
        expected = f"lines {top}-{top + page - 1} of {LINES}"
        ours.append(pager.timed(["PageDown"], lambda s, e=expected: e in s, what=expected))
        less_top += less_page
        expected = f"lines {less_top}-{less_top + less_page - 1}/{LINES}"
        base.append(less.timed(["PageDown"], lambda s, e=expected: e in s, what=expected))
    results["pager"] = summary("whydenied pager, PageDown (20,000 lines)", ours)
    results["less"] = summary("baseline: less -M, PageDown (same 20,000 lines)", base)

    ends = []
    for _ in range(max(2, samples // 10)):
        ends.append(pager.timed(["G"], lambda s: f"lines {LINES - page + 1}-{LINES} of {LINES}" in s))
        ends.append(pager.timed(["g"], lambda s: f"lines 1-{page} of {LINES}" in s))
    summary("whydenied pager, G / g (ends)", ends)
    pager.keys("/")
    pager.keys("line 19999", literal=True)
    summary("whydenied pager, / search over 20,000 lines", [pager.timed(["Enter"], lambda s: "match 1 of 1" in s)])
    pager.close()
    less.close()

    # Typing é/日: whydenied's form field versus the terminal's own echo, interleaved.
    form = Pane("form", f"'{binary}' guide", env)
    panes.append(form)
    form.wait_for(lambda s: "Parameters: type them" in s, what="the form")
    echo = Pane("echo", "cat", env)
    panes.append(echo)
    time.sleep(0.3)
    label = "▸ Principal (user/role name or ARN) *"
    ours, base = [], []
    typed = ""
    for i in range(samples):
        ch = "é" if i % 2 == 0 else "日"
        typed += ch
        ours.append(form.timed([ch], has_line(f"{label}  {typed}"), literal=True, what=typed))
        base.append(echo.timed([ch], has_line(typed), literal=True, what=typed))
        if len(typed) == 10:
            form.keys("C-u")
            form.wait_for(has_line(label))
            echo.keys("Enter")  # cat prints the line again; the next one starts empty
            time.sleep(0.05)
            typed = ""
    results["typing"] = summary("whydenied form, typing é / 日", ours)
    results["echo"] = summary("baseline: terminal echo (cat), typing é / 日", base)
finally:
    for pane in panes:
        pane.close()

print()
print(f"pager PageDown: whydenied / less      = {results['pager'] / results['less']:.2f}x")
print(f"typing é/日:    whydenied / tty echo  = {results['typing'] / results['echo']:.2f}x")
