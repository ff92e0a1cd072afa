package io.beehive.scheduler.app.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.beehive.scheduler.app.api.StateReport;
import io.beehive.scheduler.app.runtime.ReplicaNotReadyException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.Serial;
import java.util.Map;

/**
 * {@code GET /beehive} on the admin port: this replica's role, the leader, the FrameworkID, task counts, the last
 * reconciliation and fail-over, as indented JSON for {@code curl} on any replica.
 */
public final class StateViewServlet extends HttpServlet {
    @Serial
    private static final long serialVersionUID = 1L;
    private final transient StateReport report;
    private final transient ObjectMapper json;

    public StateViewServlet(StateReport report, ObjectMapper json) {
        this.report = report;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-cache");
        Object body;
        try {
            body = report.summary();
            resp.setStatus(200);
        } catch (ReplicaNotReadyException e) {
            body = Map.of("error", e.getMessage());
            resp.setStatus(503);
        } catch (RuntimeException e) {
            body = Map.of("error", "state not readable: " + e.getMessage());
            resp.setStatus(503);
        }
        json.writeValue(resp.getOutputStream(), body);
    }
}
