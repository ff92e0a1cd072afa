#!/usr/bin/env bash
# Restarts the named processes of the local deployment (zk1..zk3, mesos, replica1..replica3, haproxy) and nothing
# else: each is stopped as down.sh stops it (SIGTERM, SIGKILL after 30 s), then up.sh starts whatever is missing
# and waits until HAProxy routes to a leader again.
#
# "restart.sh mesos" restarts the local Mesos cluster: its master AND its agents, since they are one JVM. The local
# master keeps its registry in memory only, so the new master has a new id, new agents (new agent ids) and knows no
# framework and no task; stopping the old one killed every task process (SIGTERM to the process trees). The leading
# replica's subscription stream breaks, it finds the new master through ZooKeeper (zk://.../mesos) and
# re-subscribes with the same FrameworkID; reconciliation then reports its tasks lost (records kept, as history)
# and the leader launches replacements. A real Mesos master restart is gentler: agents and their tasks survive it
# and re-register. With a real Mesos (BEEHIVE_REAL_MESOS_HOME) the names are mesos-master and mesos-agent1.. and
# that is what happens: "restart.sh mesos-master" keeps the agents and tasks, "restart.sh mesos-agent1" restarts
# one agent, which recovers its running tasks. See deploy/README.md.
set -euo pipefail
source "$(dirname "$0")/common.sh"

(($# > 0)) || die "usage: $0 NAME... (any of: $(all_names | tr '\n' ' '))"
known=" $(all_names | tr '\n' ' ') "
for name in "$@"; do
  [[ $known == *" $name "* ]] || die "unknown process '$name' (one of:$known)"
done
for name in "$@"; do stop "$name"; done
exec "$(dirname "$0")/up.sh"
