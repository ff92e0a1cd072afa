#!/usr/bin/env bash
# Shows each process of the local deployment, HAProxy's view of the replicas, and each replica's admin state
# view (/beehive: role, phase, leader, FrameworkID, task counts, last fail-over).
set -uo pipefail
source "$(dirname "$0")/common.sh"

port_of() {
  case $1 in
    zk*) echo "$(zk_client_port "${1#zk}")" ;;
    mesos-master|mesos-master1) echo "$MESOS_PORT" ;;
    mesos-master2) echo "$MESOS_PORT2" ;;
    mesos-agents) echo "$((MESOS_PORT + 1))-$((MESOS_PORT + MESOS_AGENTS))" ;;
    mesos-agent*) echo "$(mesos_agent_port "${1#mesos-agent}")" ;;
    replica*) echo "api $(replica_api_port "${1#replica}"), admin $(replica_admin_port "${1#replica}")" ;;
    haproxy) echo "api $HAPROXY_API_PORT, stats $HAPROXY_STATS_PORT" ;;
  esac
}

names=$(all_names)
printf '%-13s %-8s %-8s %s\n' PROCESS PID STATE PORTS
down=0
for n in $names; do
  if is_running "$n"; then state=running; else state=stopped; down=$((down + 1)); fi
  printf '%-13s %-8s %-8s %s\n' "$n" "$(pid_of "$n")" "$state" "$(port_of "$n")"
done

if is_running haproxy; then
  echo
  echo "HAProxy backend beehive_leader (only the leader should be UP):"
  curl -s -m 2 "http://127.0.0.1:$HAPROXY_STATS_PORT/;csv" \
    | awk -F, '$1 == "beehive_leader" && $2 != "BACKEND" { printf "  %-10s %s\n", $2, $18 }'
fi

for i in $(seq 1 "$REPLICAS"); do
  echo
  echo "replica$i admin /beehive (http://127.0.0.1:$(replica_admin_port "$i")/beehive):"
  curl -s -m 3 "http://127.0.0.1:$(replica_admin_port "$i")/beehive" | sed 's/^/  /' || echo "  (no answer)"
  echo
done
exit $((down > 0))
