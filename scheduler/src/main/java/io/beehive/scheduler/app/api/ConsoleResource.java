package io.beehive.scheduler.app.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console: {@code GET /} answers its page, {@code GET /console/<file>} its scripts and styles, all read from
 * the jar. A Jersey resource rather than a servlet beside Jersey's {@code /*}: it shares the API's root without a
 * mapping contest, and no asset module is needed. The files hold no data (the page reads everything from
 * {@code /v1} with the viewer's credentials), so they are public; the policy that protects {@code /v1} applies to
 * every request the page makes.
 */
@Path("/")
public class ConsoleResource {
    private static final String ROOT = "/io/beehive/scheduler/app/console/";
    /** Flat names only: nothing outside the console's folder can be asked for. */
    private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css|png|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml");
    /** Everything from this origin, nothing inline or foreign: what a page that shows task output should refuse. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @GET
    public Response page() {
        return asset("index.html");
    }

    @GET
    @Path("console/{file}")
    public Response file(@PathParam("file") String file) {
        if (!FILE.matcher(file).matches() || file.equals("index.html")) {
            throw new NotFoundException("no console file " + file);
        }
        return asset(file);
    }

    private Response asset(String file) {
        byte[] body = cache.get(file);
        if (body == null) {
            body = load(file);
            if (body == null) {
                throw new NotFoundException("no console file " + file); // misses are not cached: names are endless
            }
            cache.put(file, body);
        }
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true); // a new release's scripts must never mix with the old page's
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        return Response.ok(body, type).cacheControl(revalidate)
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static byte[] load(String file) {
        try (InputStream in = ConsoleResource.class.getResourceAsStream(ROOT + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
