#!/usr/bin/env bash
# Stops what up.sh started, front to back: HAProxy, the replicas (SIGTERM: the leader hands over, then stops),
# the Mesos cluster (agents first: SIGTERM kills every task process; then the masters), the ZooKeeper ensemble. Safe to re-run. With a real Mesos
# (BEEHIVE_REAL_MESOS_HOME): its agents, then its master, then whatever is left in the Mesos work area (executors
# and tasks, which outlive a real agent), by pid.
# --purge also deletes the run directory (ZooKeeper data, logs): the next up.sh starts from an empty state.
set -euo pipefail
source "$(dirname "$0")/common.sh"

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) die "usage: $0 [--purge]" ;;
esac

if [[ -d $PID_DIR ]]; then
  stop haproxy
  # newest leader last: stopping followers first spares needless hand-overs
  for i in $(seq "$REPLICAS" -1 1); do stop "replica$i"; done
  # Agents before the master, so that no agent waits for a master that is gone. Every Mesos process with a pid file,
  # whatever BEEHIVE_REAL_MESOS_HOME says now: a run directory's real Mesos stops even if it is not set this time.
  for name in $(ls "$PID_DIR" | sed -n 's/^\(mesos-agent[0-9]*\)\.pid$/\1/p' | sort -r) mesos-agents \
              mesos-master mesos-master2 mesos-master1 mesos; do
    stop "$name"
  done
  for i in $(seq "$ZK_NODES" -1 1); do stop "zk$i"; done
fi
# A real agent leaves its executors and tasks running when it stops (they outlive it on purpose, to be recovered)
# ... and so do the local agents' tasks when their process was SIGKILLed
if real_mesos || [[ -d $RUN_DIR/mesos/master || -d $RUN_DIR/mesos/agents ]]; then stop_orphans; fi
if $purge; then
  rm -rf "$RUN_DIR"
  log "removed $RUN_DIR"
fi
