# Sourced by up.sh, down.sh and status.sh: where everything lives and which port each process listens on.
# Every setting is an environment variable so that several copies (a developer's, a test's) can run side by side.

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$DEPLOY_DIR/../.." && pwd)

# normalised: processes are recognised by this path in their command line (see is_running)
RUN_DIR=$(realpath -m "${BEEHIVE_DEPLOY_RUN_DIR:-$DEPLOY_DIR/run}")
BEEHIVE_JAR=${BEEHIVE_JAR:-$REPO_DIR/scheduler/target/beehive.jar}
# Every process runs from this class path: the shaded jar, or (BEEHIVE_CLASSPATH) a build's class path, which is how
# the benchmarks run the deployment before the jar is packaged.
BEEHIVE_CLASSPATH=${BEEHIVE_CLASSPATH:-$BEEHIVE_JAR}
BEEHIVE_CONFIG=${BEEHIVE_CONFIG:-$REPO_DIR/dropwizard.yml}
BASE_PORT=${BEEHIVE_DEPLOY_BASE_PORT:-21000}
REPLICAS=${BEEHIVE_DEPLOY_REPLICAS:-3}
ZK_NODES=3
MESOS_AGENTS=${BEEHIVE_DEPLOY_AGENTS:-3}
AGENT_CPUS=${BEEHIVE_DEPLOY_AGENT_CPUS:-4}
AGENT_MEM=${BEEHIVE_DEPLOY_AGENT_MEM:-8192}
JAVA=${JAVA:-java}
HAPROXY=${HAPROXY:-haproxy}

HAPROXY_API_PORT=$BASE_PORT
HAPROXY_STATS_PORT=$((BASE_PORT + 1))
MESOS_PORT=$((BASE_PORT + 50))
zk_client_port()   { echo $((BASE_PORT + 10 + $1)); }
zk_peer_port()     { echo $((BASE_PORT + 20 + $1)); }
zk_election_port() { echo $((BASE_PORT + 30 + $1)); }
replica_api_port()   { echo $((BASE_PORT + 80 + $1)); }
replica_admin_port() { echo $((BASE_PORT + 90 + $1)); }

zk_connect() {
  local i s=""
  for i in $(seq 1 "$ZK_NODES"); do s="$s${s:+,}127.0.0.1:$(zk_client_port "$i")"; done
  echo "$s"
}

PID_DIR=$RUN_DIR/pids
LOG_DIR=$RUN_DIR/logs

log() { echo "[$(date -u +%H:%M:%S)] $*"; }
die() { echo "error: $*" >&2; exit 1; }

pid_of() { [[ -f $PID_DIR/$1.pid ]] && cat "$PID_DIR/$1.pid" || true; }

# A pid file can outlive its process and the pid be reused: a process counts as ours only if its command line
# carries this run directory (every java process gets -Dbeehive.deploy=<run dir>/<name>, HAProxy its config path).
is_running() {
  local pid
  pid=$(pid_of "$1")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$RUN_DIR/"
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "error: timed out after ${seconds}s waiting for $what" >&2; return 1; }
    sleep 0.2
  done
}

http_status() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true; }

# stop NAME: SIGTERM, up to 30 s to exit, then SIGKILL; removes the pid file.
stop() {
  local name=$1 pid
  pid=$(pid_of "$name")
  if ! is_running "$name"; then
    rm -f "$PID_DIR/$name.pid"
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for 30 "$name (pid $pid) to exit" bash -c "! kill -0 $pid"; then
    log "$name did not exit within 30 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 10 "$name (pid $pid) to die" bash -c "! kill -0 $pid" || true
  fi
  rm -f "$PID_DIR/$name.pid"
  log "$name stopped"
}

# The names of every process of the deployment, in start order.
all_names() {
  local i
  for i in $(seq 1 "$ZK_NODES"); do echo "zk$i"; done
  echo mesos
  for i in $(seq 1 "$REPLICAS"); do echo "replica$i"; done
  echo haproxy
}
