#!/usr/bin/env bash
# Stops what up.sh started, front to back: HAProxy, the replicas (SIGTERM: the leader hands over, then stops),
# the Mesos cluster (SIGTERM kills every task process), the ZooKeeper ensemble. Safe to re-run.
# --purge also deletes the run directory (ZooKeeper data, logs): the next up.sh starts from an empty state.
set -euo pipefail
source "$(dirname "$0")/common.sh"

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) die "usage: $0 [--purge]" ;;
esac

# stop NAME: SIGTERM, up to 30 s to exit, then SIGKILL.
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

if [[ -d $PID_DIR ]]; then
  stop haproxy
  # newest leader last: stopping followers first spares needless hand-overs
  for i in $(seq "$REPLICAS" -1 1); do stop "replica$i"; done
  stop mesos
  for i in $(seq "$ZK_NODES" -1 1); do stop "zk$i"; done
fi
if $purge; then
  rm -rf "$RUN_DIR"
  log "removed $RUN_DIR"
fi
