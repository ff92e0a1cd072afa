package io.beehive.local.http;

import io.beehive.local.master.EventLoop;
import io.beehive.local.master.Master;

/** What one master process's HTTP server needs to know: whether it leads, and where the leader is. */
public interface MasterDirectory {

    /** The master state if this process is the elected leader, else null. Safe to read from any thread. */
    Master leading();

    /** {@code host:port} of the leader when this process is a standby that knows one, else null. */
    String leaderAddress();

    EventLoop loop();

    /** The agent-master protocol when agents run in other processes, else null (its routes answer 404). */
    default InternalEndpoint agentProtocol() {
        return null;
    }
}
