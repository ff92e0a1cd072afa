package io.beehive.scheduler.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers everything a {@link MesosClient} reports, for assertions. */
final class RecordingListener implements MesosClientListener {
    final List<Event.Subscribed> subscribed = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<String> terminations = new CopyOnWriteArrayList<>();

    @Override
    public void subscribed(Event.Subscribed s) { subscribed.add(s); }

    @Override
    public void event(Event event) { events.add(event); }

    @Override
    public void disconnected(String reason) { disconnects.add(reason); }

    @Override
    public void terminated(ConnectionState state, String message) { terminations.add(state + ": " + message); }
}
