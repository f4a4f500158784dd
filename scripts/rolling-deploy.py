"""The load and the tally of scripts/rolling-deploy.sh (Python's standard library only).

    python3 scripts/rolling-deploy.py wait URL SECONDS     # until URL answers 200
    python3 scripts/rolling-deploy.py up SOCKET N SECONDS  # until HAProxy sees N servers UP
    python3 scripts/rolling-deploy.py load URL STOPFILE OUT  # until STOPFILE exists
    python3 scripts/rolling-deploy.py tally OUT FOUND      # acknowledged writes vs rows found

`load` runs a bounded load through the balancer: a few clients, each on one
keep-alive connection, alternating `GET /shop/items` and
`POST /shop/items` with a name of its own, a short pause between requests.
A request fails when it raises (a reset, an empty reply, a timeout) or is
answered anything but 200 (read) or 201 (write). It writes a JSON summary
with every acknowledged write's name to OUT.
"""

import http.client
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request

CLIENTS = 8
PAUSE = 0.005  # seconds between one client's requests: bounded load


def until(seconds, probe):
    """Calls `probe` every 50 ms until it returns true (True) or `seconds`
    have passed (False); a probe that raises counts as not yet."""
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        try:
            if probe():
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False


def wait(url, seconds):
    def answers():
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200

    if until(seconds, answers):
        return 0
    print(f"rolling-deploy: {url} did not answer 200 within {seconds}s", file=sys.stderr)
    return 1


def up(sock, count, seconds):
    """Waits until HAProxy (asked on its stats socket) sees `count`
    servers of the backend `replicas` UP: its own checks passed."""
    seen = []

    def all_up():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(sock)
            s.sendall(b"show stat\n")
            text = b"".join(iter(lambda: s.recv(65536), b"")).decode()
        rows = [line.split(",") for line in text.splitlines() if line.startswith("replicas,")]
        seen[:] = [(row[1], row[17]) for row in rows if row[1] not in ("FRONTEND", "BACKEND")]
        return sum(status == "UP" for _, status in seen) >= int(count)

    if until(seconds, all_up):
        return 0
    print(f"rolling-deploy: HAProxy did not see {count} replicas UP within {seconds}s: {seen}", file=sys.stderr)
    return 1


def client(number, base, stopfile, results, started):
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    sent = failed = 0
    acked = []
    errors = []
    n = 0
    while not os.path.exists(stopfile):
        n += 1
        write = n % 2 == 0
        name = f"c{number}-{n}"
        try:
            if write:
                body = json.dumps({"name": name})
                conn.request("POST", "/shop/items", body, {"Content-Type": "application/json"})
            else:
                conn.request("GET", "/shop/items")
            response = conn.getresponse()
            text = response.read()
            sent += 1
            if response.status == (201 if write else 200):
                if write:
                    acked.append(name)
            else:
                failed += 1
                errors.append(f"{at(started)} {'POST' if write else 'GET'} answered {response.status}: {text[:200]!r}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except Exception as err:  # a failed request, as a client sees it
            sent += 1
            failed += 1
            errors.append(f"{at(started)} {'POST' if write else 'GET'} {name}: {type(err).__name__}: {err}")
            conn.close()
        time.sleep(PAUSE)
    results[number] = (sent, failed, acked, errors)


def at(started):
    """When, in the load: `at 12.345s`."""
    return f"at {time.monotonic() - started:.3f}s:"


def load(base, stopfile, out):
    results = {}
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i, base, stopfile, results, started)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = {
        "sent": sum(r[0] for r in results.values()),
        "failed": sum(r[1] for r in results.values()),
        "acked": [name for r in results.values() for name in r[2]],
        "errors": [e for r in results.values() for e in r[3]][:20],
    }
    with open(out, "w") as f:
        json.dump(summary, f)
    return 0


def tally(out, found_file):
    with open(out) as f:
        summary = json.load(f)
    with open(found_file) as f:
        found = {line.strip() for line in f if line.strip()}
    acked = summary["acked"]
    lost = [name for name in acked if name not in found]
    for error in summary["errors"]:
        print(f"rolling-deploy: failed: {error}", file=sys.stderr)
    for name in lost[:20]:
        print(f"rolling-deploy: lost write: {name}", file=sys.stderr)
    print(
        f"rolling-deploy: requests sent {summary['sent']}, failed {summary['failed']}; "
        f"writes acknowledged {len(acked)}, found afterwards {len(acked) - len(lost)}"
    )
    return 0 if summary["failed"] == 0 and not lost and summary["sent"] > 0 else 1


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    sys.exit({"wait": wait, "up": up, "load": load, "tally": tally}[command](*args))
