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

# A real Mesos build (the folder holding build/src, see ../shared/real-mesos/README.md) instead of the local cluster:
# one mesos-master (elected in ZooKeeper, replicated_log registry) and BEEHIVE_DEPLOY_AGENTS mesos-agents, each its
# own process. Unset (the default, and in CI): the local cluster, LocalMesosMain, as two master processes
# (mesos-master1, mesos-master2: contending in ZooKeeper, agents admitted in a registry there) and one process of
# agents (mesos-agents), so that the leading master can be killed and restarted alone.
REAL_MESOS_HOME=${BEEHIVE_REAL_MESOS_HOME:-}
if [[ -n $REAL_MESOS_HOME ]]; then
  MESOS_BIN=$(realpath -m "$REAL_MESOS_HOME/build/src")
  MESOS_AGENTS=${BEEHIVE_DEPLOY_AGENTS:-2}
  ((MESOS_AGENTS >= 1 && MESOS_AGENTS <= 4)) \
    || { echo "error: BEEHIVE_DEPLOY_AGENTS=$MESOS_AGENTS: a real Mesos runs 1 to 4 agents" >&2; exit 1; }
  # extra flags of the master (e.g. --agent_ping_timeout=1secs --max_agent_ping_timeouts=3 to lose an agent sooner)
  MESOS_MASTER_FLAGS=${BEEHIVE_DEPLOY_MESOS_MASTER_FLAGS:-}
fi
real_mesos() { [[ -n $REAL_MESOS_HOME ]]; }

HAPROXY_API_PORT=$BASE_PORT
HAPROXY_STATS_PORT=$((BASE_PORT + 1))
MESOS_PORT=$((BASE_PORT + 50))
# local cluster only: the second master (base+51.. are the agents')
MESOS_PORT2=$((BASE_PORT + 60))
zk_client_port()   { echo $((BASE_PORT + 10 + $1)); }
zk_peer_port()     { echo $((BASE_PORT + 20 + $1)); }
zk_election_port() { echo $((BASE_PORT + 30 + $1)); }
mesos_agent_port() { echo $((BASE_PORT + 50 + $1)); }   # real Mesos only: agent i (1..4)
# The task ports a real agent offers: 10 per agent, at most 4 agents, from a range derived from the base port so that
# two deployments (and the local agents' 31000-32000, and Mesos's default range) never offer the same port: between
# 10000 and 14399, outside Linux's ephemeral range and below the deployments' blocks (20000-30999).
mesos_agent_task_ports() {
  local first=$((10000 + (BASE_PORT - 20000) / 100 * 40 + ($1 - 1) * 10))
  echo "[$first-$((first + 9))]"
}
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
  mesos_names
  for i in $(seq 1 "$REPLICAS"); do echo "replica$i"; done
  echo haproxy
}

# The Mesos processes: "mesos-master1", "mesos-master2" and "mesos-agents" (the local cluster), or "mesos-master" and
# "mesos-agent1".. of a real build.
mesos_names() {
  local i
  if real_mesos; then
    echo mesos-master
    for i in $(seq 1 "$MESOS_AGENTS"); do echo "mesos-agent$i"; done
  else
    echo mesos-master1
    echo mesos-master2
    echo mesos-agents
  fi
}

# Processes left behind in the Mesos work area once everything is stopped: a real agent's executors and tasks of a
# checkpointing framework outlive the agent (mesos-containerizer launch -> mesos-executor -> the command). Found by
# their working directory (a sandbox) or command line under $RUN_DIR/mesos/, never by name, sparing this script and
# its ancestors (a shell standing in a sandbox); stopped one pid at a time (SIGTERM, SIGKILL after 10 s).
stop_orphans() {
  local area=$RUN_DIR/mesos/ pid spared=" " p=$$ pids=()
  while [[ -n $p && $p != 0 ]]; do
    spared+="$p "
    p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ' || true)
  done
  # one pass over /proc for each criterion (a loop forking per process took 20 s on a busy machine)
  for pid in $( { find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$area*" 2>/dev/null
                  grep -laF "$area" /proc/[0-9]*/cmdline 2>/dev/null; } | cut -d/ -f3 | sort -un); do
    # gone by now: the find and grep above, whose own command lines name the area
    [[ $spared == *" $pid "* || $pid == "$BASHPID" || ! -e /proc/$pid ]] || pids+=("$pid")
  done
  ((${#pids[@]} > 0)) || return 0
  log "stopping ${#pids[@]} processes left under $area: ${pids[*]}"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    if ! wait_for 10 "process $pid to exit" bash -c "! kill -0 $pid"; then
      log "process $pid did not exit within 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
