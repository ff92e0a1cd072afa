#!/bin/sh
# Used by record_11.py (local/README.md): stop the two daemons afterwards by the pids this prints.
# starts a real master (15050) and agent (15051) with fresh work dirs under /tmp/fidelity-real; prints their pids
M=${BEEHIVE_REAL_MESOS_HOME:-$HOME/real-mesos}/build/src
W=/tmp/fidelity-real
rm -rf $W; mkdir -p $W
$M/mesos-master --ip=127.0.0.1 --port=15050 --work_dir=$W/m --registry=in_memory \
    --agent_ping_timeout=1secs --max_agent_ping_timeouts=2 > $W/master.log 2>&1 &
sleep 2
$M/mesos-agent --master=127.0.0.1:15050 --ip=127.0.0.1 --port=15051 --work_dir=$W/a --runtime_dir=$W/r \
    --launcher=posix --isolation=posix/cpu,posix/mem --no-systemd_enable_support \
    --resources='cpus:2;mem:23081;disk:252899;ports:[31000-32000]' \
    --launcher_dir=$M > $W/agent.log 2>&1 &
sleep 3
pgrep -f "^$M/.libs/mesos-master --ip=127.0.0.1 --port=15050" ; pgrep -f "^$M/.libs/mesos-agent --master=127.0.0.1:15050"
