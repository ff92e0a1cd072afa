package io.beehive.scheduler.app.security;

import io.beehive.scheduler.app.api.ApiHeaders;
import io.beehive.scheduler.app.config.AuthConfig;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.chained.ChainedAuthFilter;
import io.dropwizard.auth.basic.BasicCredentialAuthFilter;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Decides which requests need credentials and checks them with Dropwizard's chained Basic and bearer filters:
 * every write under {@code /v1}, and with {@code protectReads} every read under {@code /v1} too. The OpenAPI
 * document and {@code /leaderhealth} stay open (load balancers and tooling). A global filter rather than
 * per-method annotations because the read policy is configuration, not code. A refusal of the web console's
 * request ({@link ApiHeaders#CLIENT}) challenges with Bearer only, so the browser shows no login prompt of its own.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AccessPolicyFilter implements ContainerRequestFilter {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String REALM = "beehive";
    private static final String CONSOLE = "console";

    private final boolean protectReads;
    private final ChainedAuthFilter<Object, ApiPrincipal> credentials;

    public AccessPolicyFilter(AuthConfig config) {
        this.protectReads = config.protectReads();
        AuthFilter<?, ApiPrincipal> basic = new BasicCredentialAuthFilter.Builder<ApiPrincipal>()
                .setAuthenticator(new ConfiguredUsers(config.usableUsers()))
                .setRealm(REALM)
                .buildAuthFilter();
        AuthFilter<?, ApiPrincipal> bearer = new OAuthCredentialAuthFilter.Builder<ApiPrincipal>()
                .setAuthenticator(new ConfiguredTokens(config.usableTokens()))
                .setPrefix("Bearer")
                .setRealm(REALM)
                .buildAuthFilter();
        @SuppressWarnings({"unchecked", "rawtypes"})
        ChainedAuthFilter<Object, ApiPrincipal> chained = new ChainedAuthFilter(List.of(basic, bearer));
        this.credentials = chained;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("v1/") || path.startsWith("v1/openapi.")) {
            return;
        }
        if (WRITES.contains(request.getMethod()) || protectReads) {
            try {
                credentials.filter(request);
            } catch (WebApplicationException refused) {
                throw CONSOLE.equals(request.getHeaderString(ApiHeaders.CLIENT)) ? withoutBasicChallenge(refused)
                        : refused;
            }
        }
    }

    /** The same refusal, challenging with Bearer alone: no browser login prompt over the console's page. */
    private static WebApplicationException withoutBasicChallenge(WebApplicationException refused) {
        Response r = refused.getResponse();
        if (r.getStatus() != Response.Status.UNAUTHORIZED.getStatusCode()) {
            return refused;
        }
        return new WebApplicationException(refused.getMessage(), Response.fromResponse(r)
                .header(HttpHeaders.WWW_AUTHENTICATE, null)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"")
                .build());
    }
}
