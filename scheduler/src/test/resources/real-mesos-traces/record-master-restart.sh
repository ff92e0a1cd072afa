#!/usr/bin/env bash
# Records what a real Mesos 1.11 master answers across its SIGKILL and restart on the same address, the behaviour
# RealMesosFailoverIT and MesosClient rely on (a 307 to its own address until its predecessor's ZooKeeper node
# expires, then possibly 503 "Master has not finished recovery", then 200), in the format of
# ../shared/mesos-traces/README.md. Run it against a deployment started with
#   BEEHIVE_REAL_MESOS_HOME=<build> deploy/local/up.sh
# with the same environment (BEEHIVE_REAL_MESOS_HOME, BEEHIVE_DEPLOY_RUN_DIR, BEEHIVE_DEPLOY_BASE_PORT); it kills the
# master, starts it again with up.sh and probes it every 100 ms with a SUBSCRIBE of a throw-away framework
# (failover_timeout 0: the master forgets it when the probe's connection closes). The trace goes to stdout.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../../../../.." && pwd)
source "$REPO/deploy/local/common.sh"
real_mesos || die "BEEHIVE_REAL_MESOS_HOME is not set"
M=http://127.0.0.1:$MESOS_PORT
SUB='{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"trace-probe"}}}'
PY=/usr/bin/python3
now() { date +%s%N; }
state_keys() {
  curl -s "$M/master/state" | $PY -c 'import json,sys
s = json.load(sys.stdin)
keys = ("id", "name", "active", "connected", "registered_time", "reregistered_time", "unregistered_time")
print(json.dumps({"id": s["id"], "start_time": s.get("start_time"), "elected_time": s.get("elected_time"),
                  "activated_slaves": s.get("activated_slaves"),
                  "frameworks": [{k: f.get(k) for k in keys} for f in s["frameworks"]]}))'
}

echo "# master SIGKILL + restart on the same address, recorded $(date -u +%F) (deploy/local/up.sh with a real build)"
echo "# <master> = 127.0.0.1:$MESOS_PORT; every answer of the probe is shown once, with its offset from the kill"
echo "## before: GET /master/state (selected keys)"
state_keys
pid=$(pid_of mesos-master)
echo "## kill -9 <mesos-master pid> (the daemon itself: /proc/<pid>/exe is $(readlink "/proc/$pid/exe" | sed "s|$REAL_MESOS_HOME|<build>|"))"
t0=$(now)
kill -9 "$pid"
( "$DEPLOY_DIR/up.sh" > "$RUN_DIR/record-up.out" 2>&1 ) &
last=""
while (( ($(now) - t0) / 1000000000 < 60 )); do
  d=$(( ($(now) - t0) / 10000000 )); t=$(printf "%d.%02d" $((d / 100)) $((d % 100)))
  ans=$(curl -s -i -m 1 -X POST "$M/api/v1/scheduler" -H 'Content-Type: application/json' \
        -H 'Accept: application/json' -d "$SUB" 2>/dev/null | tr -d '\r')
  status=$(head -1 <<<"$ans")
  location=$(grep -i '^Location:' <<<"$ans" || true)
  body=$(sed -n '/^$/,$p' <<<"$ans" | tr '\n' ' ' | cut -c1-200)
  current="$status|$location|$body"
  if [[ $current != "$last" ]]; then
    echo "[t=$t] POST /api/v1/scheduler SUBSCRIBE -> ${status:-(connection refused)} ${location} body: ${body}"
    last=$current
  fi
  [[ $status == *" 200 "* ]] && break
  sleep 0.1
done
wait
echo "## after up.sh: GET /master/state (selected keys)"
state_keys
