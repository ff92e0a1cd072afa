#!/usr/bin/env python3
# Records trace 11 (see local/README.md, "Checked against a real master"): python3 record_11.py > 11-operator-endpoints.txt
"""Records trace 11 from a real Mesos 1.11 master (127.0.0.1:15050) and agent (127.0.0.1:15051)."""
import base64, json, os, queue, socket, sys, threading, time

MASTER = ("127.0.0.1", int(os.environ.get("MPORT", "15050")))
AGENT = ("127.0.0.1", int(os.environ.get("APORT", "15051")))
OUT = []
T0 = time.time()

def t():
    return "%.3f" % (time.time() - T0)

def out(line=""):
    OUT.append(line)

def section(title):
    out("=" * 78)
    out("## " + title)

def raw_request(addr, method, path, headers=None, body=b""):
    headers = dict(headers or {})
    s = socket.create_connection(addr, timeout=30)
    head = "%s %s HTTP/1.1\r\nHost: %s:%d\r\n" % (method, path, addr[0], addr[1])
    for k, v in headers.items():
        head += "%s: %s\r\n" % (k, v)
    if body or method == "POST":
        head += "Content-Length: %d\r\n" % len(body)
    head += "Connection: close\r\n\r\n"
    s.sendall(head.encode() + body)
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    s.close()
    h, _, rest = data.partition(b"\r\n\r\n")
    lines = h.decode("latin-1").split("\r\n")
    hdrs = [l for l in lines[1:]]
    if any(l.lower() == "transfer-encoding: chunked" for l in hdrs):
        body_out = b""
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line.split(b";")[0], 16)
            if n == 0:
                break
            body_out += rest[:n]
            rest = rest[n + 2:]
        rest = body_out
    return lines[0], hdrs, rest

def exchange(title, addr, method, path, headers=None, body=b"", show_body=True):
    section("[t=%s] %s" % (t(), title))
    out("%s http://%s:%d%s" % (method, addr[0], addr[1], path))
    for k, v in (headers or {}).items():
        out("%s: %s" % (k, v))
    if body:
        out(body.decode())
    out("-" * 78)
    status, hdrs, rbody = raw_request(addr, method, path, headers, body)
    out(status)
    for h in hdrs:
        out(h)
    out("")
    if show_body:
        out(rbody.decode("utf-8", "replace"))
    return status, hdrs, rbody

class Stream:
    """A SUBSCRIBE on a raw socket; every recv() is logged with its bytes, records are parsed for the recorder."""
    def __init__(self, info, log_raw_until=None):
        self.events = queue.Queue()
        self.all = []
        self.raw_log = []
        self.log_raw_until = log_raw_until
        body = json.dumps({"type": "SUBSCRIBE", "subscribe": {"framework_info": info}}, separators=(",", ":"))
        if "id" in info:
            body = json.dumps({"type": "SUBSCRIBE", "framework_id": info["id"],
                               "subscribe": {"framework_info": info}}, separators=(",", ":"))
        self.sock = socket.create_connection(MASTER, timeout=None)
        self.t_sent = time.time()
        self.sock.sendall(("POST /api/v1/scheduler HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                           "Accept: application/json\r\nContent-Length: %d\r\n\r\n" % (MASTER[0], MASTER[1], len(body))).encode()
                          + body.encode())
        self.request_body = body
        buf = b""
        while b"\r\n\r\n" not in buf:
            b = self.sock.recv(65536)
            self.raw_log.append((time.time() - self.t_sent, b))
            buf += b
        head, _, self.buf = buf.partition(b"\r\n\r\n")
        self.head = head.decode("latin-1").split("\r\n")
        self.stream_id = [h.split(": ", 1)[1] for h in self.head if h.lower().startswith("mesos-stream-id")][0]
        self.ended = False
        self.returned = set()
        self.framework_id = None
        self.th = threading.Thread(target=self.loop, daemon=True)
        self.th.start()
        sub = self.wait(lambda e: e["type"] in ("SUBSCRIBED", "ERROR"))
        self.framework_id = sub["subscribed"]["framework_id"]["value"] if sub["type"] == "SUBSCRIBED" else None

    def loop(self):
        pending = b""
        data = self.buf
        while True:
            # parse complete chunks from data
            while True:
                if b"\r\n" not in data:
                    break
                size_line, _, rest = data.partition(b"\r\n")
                n = int(size_line.split(b";")[0], 16)
                if n == 0:
                    self.raw_log.append((time.time() - self.t_sent, b"<parsed last chunk>"))
                    self.ended = True
                    return
                if len(rest) < n + 2:
                    break
                pending += rest[:n]
                data = rest[n + 2:]
                while b"\n" in pending:
                    ln, _, r2 = pending.partition(b"\n")
                    L = int(ln)
                    if len(r2) < L:
                        break
                    rec = r2[:L]
                    pending = r2[L:]
                    ev = json.loads(rec)
                    ev["__t"] = time.time() - self.t_sent
                    ev["__raw"] = rec.decode()
                    if ev["type"] == "UPDATE" and "uuid" in ev["update"]["status"] and self.framework_id:
                        self.ack(ev["update"]["status"])
                    self.all.append(ev)
            try:
                b = self.sock.recv(65536)
            except OSError:
                b = b""
            now = time.time() - self.t_sent
            if self.log_raw_until is None or now < self.log_raw_until:
                self.raw_log.append((now, b))
            if not b:
                self.ended = True
                return
            data += b

    def wait(self, pred, timeout=60):
        """The first event not returned before that matches, received earlier or later."""
        deadline = time.time() + timeout
        while True:
            for i, ev in enumerate(list(self.all) + ([{"type": "__END__"}] if self.ended else [])):
                if i not in self.returned and pred(ev):
                    if ev["type"] != "__END__":
                        self.returned.add(i)
                    return ev
            if time.time() > deadline:
                raise TimeoutError("no matching event; got %s" % [e["type"] for e in self.all])
            time.sleep(0.02)

    def call(self, call):
        body = json.dumps(call, separators=(",", ":")).encode()
        return raw_request(MASTER, "POST", "/api/v1/scheduler",
                           {"Content-Type": "application/json", "Mesos-Stream-Id": self.stream_id}, body)

    def ack(self, st):
        self.call({"type": "ACKNOWLEDGE", "framework_id": {"value": self.framework_id},
                   "acknowledge": {"agent_id": st["agent_id"], "task_id": st["task_id"], "uuid": st["uuid"]}})

def res(cpus, mem):
    return [{"name": "cpus", "type": "SCALAR", "scalar": {"value": cpus}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": mem}}]

def task(tid, offer, cmd, cpus=0.1, mem=32):
    return {"name": tid, "task_id": {"value": tid}, "agent_id": offer["agent_id"], "resources": res(cpus, mem),
            "command": {"value": cmd}}

def launch(s, offer, tasks):
    body = {"type": "ACCEPT", "framework_id": {"value": s.framework_id},
            "accept": {"offer_ids": [offer["id"]], "operations": [{"type": "LAUNCH", "launch": {"task_infos": tasks}}],
                       "filters": {"refuse_seconds": 0}}}
    return s.call(body)

def offers(s):
    ev = s.wait(lambda e: e["type"] == "OFFERS")
    return ev["offers"]["offers"]

def whole_offer(s):
    """The next offer holding every kind of resource (disk too): leftovers of earlier launches come as small offers."""
    while True:
        for o in offers(s):
            if any(r["name"] == "disk" for r in o["resources"]):
                return o

def update_of(s, tid, state):
    return s.wait(lambda e: e["type"] == "UPDATE" and e["update"]["status"]["task_id"]["value"] == tid
                  and e["update"]["status"]["state"] == state)

def main():
    info = {"user": "root", "name": "trace-11", "failover_timeout": 60}
    section("[t=%s] (a) SUBSCRIBE on a raw socket: every recv() with its bytes, until 20 s (one heartbeat, 15 s)" % t())
    s = Stream(info, log_raw_until=20.0)
    out("POST http://127.0.0.1:%d/api/v1/scheduler" % MASTER[1])
    out(s.request_body)
    out("-" * 78)
    # wait for the heartbeat after the first OFFERS, then print the raw log
    first = offers(s)
    s.wait(lambda e: e["type"] == "HEARTBEAT" and e["__t"] > 10, timeout=30)
    time.sleep(0.5)
    for (when, b) in list(s.raw_log):
        out("[recv t=%.3f, %d bytes] %r" % (when, len(b), b))

    offer = first[0]
    section("[t=%s] (b) ACCEPT: t-done (`true`) and t-sleep (`sleep 1000`), 0.1 cpus 32 mem each; all updates acked" % t())
    r = launch(s, offer, [task("t-done", offer, "true"), task("t-sleep", offer, "sleep 1000")])
    out("ACCEPT -> %s" % r[0])
    update_of(s, "t-done", "TASK_FINISHED")
    update_of(s, "t-sleep", "TASK_RUNNING")
    time.sleep(1.0)
    exchange("(c) /master/state with t-done finished and acknowledged, t-sleep running", MASTER, "GET", "/master/state")
    exchange("(c) /master/frameworks", MASTER, "GET", "/master/frameworks")
    exchange("(c) /master/tasks", MASTER, "GET", "/master/tasks")
    exchange("(c) /master/tasks?limit=1&offset=1&order=asc", MASTER, "GET", "/master/tasks?limit=1&offset=1&order=asc")
    exchange("(c) /metrics/snapshot", MASTER, "GET", "/metrics/snapshot")
    exchange("(c) agent /monitor/statistics", AGENT, "GET", "/monitor/statistics")
    exchange("(c) agent /slave(1)/state", AGENT, "GET", "/slave(1)/state")

    section("[t=%s] (d) ACCEPT of a task larger than the offer (cpus 100, mem 32) on a fresh offer" % t())
    o2 = whole_offer(s)
    out("[offer] " + json.dumps(o2, separators=(",", ":")))
    r = launch(s, o2, [task("t-big", o2, "true", cpus=100, mem=32)])
    out("ACCEPT -> %s" % r[0])
    ev = update_of(s, "t-big", "TASK_ERROR")
    out("[event] " + ev["__raw"])
    section("[t=%s] (d2) ACCEPT: a task of (offered cpus - 0.5), then one of 1 cpu that no longer fits" % t())
    o3 = whole_offer(s)
    out("[offer] " + json.dumps(o3, separators=(",", ":")))
    cpus = [r["scalar"]["value"] for r in o3["resources"] if r["name"] == "cpus"][0]
    r = launch(s, o3, [task("t-one", o3, "sleep 1000", cpus=round(cpus - 0.5, 3), mem=32),
                       task("t-over", o3, "true", cpus=1.0, mem=64)])
    out("ACCEPT -> %s" % r[0])
    ev = update_of(s, "t-over", "TASK_ERROR")
    out("[event] " + ev["__raw"])

    for title, uuid in (("(e) ACKNOWLEDGE with a 3-byte uuid (\"AAAA\")", "AAAA"),
                        ("(e) ACKNOWLEDGE with 16 zero bytes", base64.b64encode(bytes(16)).decode())):
        body = json.dumps({"type": "ACKNOWLEDGE", "framework_id": {"value": s.framework_id},
                           "acknowledge": {"agent_id": offer["agent_id"], "task_id": {"value": "t-sleep"},
                                           "uuid": uuid}}, separators=(",", ":")).encode()
        exchange(title, MASTER, "POST", "/api/v1/scheduler",
                 {"Content-Type": "application/json", "Mesos-Stream-Id": s.stream_id}, body)

    section("[t=%s] (f) SUBSCRIBE again with the framework id (fail-over to a new connection)" % t())
    info2 = dict(info, id={"value": s.framework_id})
    s2 = Stream(info2)
    old_end = s.wait(lambda e: e["type"] in ("ERROR", "__END__"), timeout=10)
    out("[old stream] " + old_end.get("__raw", "end of stream"))
    time.sleep(0.5)
    exchange("(f) /master/frameworks after the fail-over", MASTER, "GET", "/master/frameworks")

    exchange("(g) GET /master/teardown", MASTER, "GET", "/master/teardown")
    exchange("(g) POST /master/teardown, empty body", MASTER, "POST", "/master/teardown",
             {"Content-Type": "application/x-www-form-urlencoded"}, b"")
    exchange("(g) POST /master/teardown frameworkId=nope", MASTER, "POST", "/master/teardown",
             {"Content-Type": "application/x-www-form-urlencoded"}, b"frameworkId=nope")
    exchange("(g) POST /master/teardown frameworkId=%25zz (bad escape)", MASTER, "POST", "/master/teardown",
             {"Content-Type": "application/x-www-form-urlencoded"}, b"frameworkId=%zz")
    s2.log_raw_until = 1e9
    n_before = len(s2.raw_log)
    exchange("(g) POST /master/teardown frameworkId=<the framework>", MASTER, "POST", "/master/teardown",
             {"Content-Type": "application/x-www-form-urlencoded"}, ("frameworkId=" + s.framework_id).encode())
    s2.wait(lambda e: e["type"] == "__END__", timeout=10)
    section("[t=%s] (g) what the framework's stream received after the teardown" % t())
    for (when, b) in s2.raw_log[n_before:]:
        out("[recv, %d bytes] %r" % (len(b), b))
    time.sleep(1.0)
    exchange("(g) /master/state after the teardown", MASTER, "GET", "/master/state")
    exchange("(g) POST /master/teardown of the completed framework", MASTER, "POST", "/master/teardown",
             {"Content-Type": "application/x-www-form-urlencoded"}, ("frameworkId=" + s.framework_id).encode())

    section("[t=%s] (h) framework with failover_timeout 2 runs `sleep 1000`, closes its connection, 4 s pass" % t())
    s3 = Stream({"user": "root", "name": "trace-11-timeout", "failover_timeout": 2})
    o = offers(s3)[0]
    launch(s3, o, [task("t-orphan", o, "sleep 1000")])
    update_of(s3, "t-orphan", "TASK_RUNNING")
    # shutdown, not only close: the reader thread's reference would keep the connection open
    s3.sock.shutdown(socket.SHUT_RDWR)
    s3.sock.close()
    out("closed at t=%s" % t())
    time.sleep(4)
    exchange("(h) /master/frameworks after the failover timeout", MASTER, "GET", "/master/frameworks")
    exchange("(h) /metrics/snapshot at the end", MASTER, "GET", "/metrics/snapshot")

if __name__ == "__main__":
    try:
        main()
    finally:
        hdr = ["# trace 11: chunk framing, /master/state framework and task objects, operator endpoints,",
               "# agent /monitor/statistics, TASK_ERROR and ACKNOWLEDGE texts",
               "# recorded %s (UTC) with record_11.py (Python 3 stdlib, raw sockets, Connection: close)" %
               time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(T0)),
               "# Master 127.0.0.1:%d (--registry=in_memory), one agent 127.0.0.1:%d (posix launcher," % (MASTER[1], AGENT[1]),
               "# posix/cpu,posix/mem isolation), default command executor. Every UPDATE with a uuid acknowledged at once.",
               ""]
        sys.stdout.write("\n".join(hdr + OUT) + "\n")
