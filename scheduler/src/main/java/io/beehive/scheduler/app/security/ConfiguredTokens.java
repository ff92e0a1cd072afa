package io.beehive.scheduler.app.security;

import io.beehive.scheduler.app.config.AuthConfig;
import io.dropwizard.auth.Authenticator;

import java.util.List;
import java.util.Optional;

/** Bearer tokens listed in {@code api.auth.tokens}. */
public final class ConfiguredTokens implements Authenticator<String, ApiPrincipal> {
    private final List<AuthConfig.Token> tokens;

    public ConfiguredTokens(List<AuthConfig.Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    @Override
    public Optional<ApiPrincipal> authenticate(String presented) {
        ApiPrincipal found = null;
        for (AuthConfig.Token t : tokens) {
            if (t.token().matches(presented) && found == null) {
                found = new ApiPrincipal(t.name(), "bearer");
            }
        }
        return Optional.ofNullable(found);
    }
}
