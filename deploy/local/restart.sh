#!/usr/bin/env bash
# Restarts the named processes of the local deployment (zk1..zk3, mesos-master1, mesos-master2,
# mesos-agents, replica1..replica3, haproxy) and nothing
# else: each is stopped as down.sh stops it (SIGTERM, SIGKILL after 30 s), then up.sh starts whatever is missing
# and waits until HAProxy routes to a leader again.
#
# The local Mesos cluster is three processes: "restart.sh mesos-master1" (or 2) restarts one master; if it led, the
# other takes over once the stopped one's ZooKeeper node is gone, reads the agent registry (<zk>/mesos/registry),
# and the agents re-register with their running tasks: agent ids, tasks and task processes survive, and the
# leading replica re-subscribes with the same FrameworkID. The restarted master rejoins as a standby.
# "restart.sh mesos-agents" restarts the agents: stopping them kills every task process, and the new agents have
# new ids (the local agents do not recover tasks). With a real Mesos (BEEHIVE_REAL_MESOS_HOME) the names are
# mesos-master and mesos-agent1..: "restart.sh mesos-master" keeps the agents and tasks, "restart.sh mesos-agent1"
# restarts one agent, which recovers its running tasks. See deploy/README.md.
set -euo pipefail
source "$(dirname "$0")/common.sh"

(($# > 0)) || die "usage: $0 NAME... (any of: $(all_names | tr '\n' ' '))"
known=" $(all_names | tr '\n' ' ') "
for name in "$@"; do
  [[ $known == *" $name "* ]] || die "unknown process '$name' (one of:$known)"
done
for name in "$@"; do stop "$name"; done
exec "$(dirname "$0")/up.sh"
