package io.beehive.scheduler.app.security;

import io.beehive.scheduler.app.config.AuthConfig;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;

import java.util.List;
import java.util.Optional;

/** HTTP Basic against the users listed in {@code api.auth.users}. */
public final class ConfiguredUsers implements Authenticator<BasicCredentials, ApiPrincipal> {
    private final List<AuthConfig.User> users;

    public ConfiguredUsers(List<AuthConfig.User> users) {
        this.users = List.copyOf(users);
    }

    @Override
    public Optional<ApiPrincipal> authenticate(BasicCredentials credentials) {
        // Check every entry (no early exit) so the time taken does not tell which user names exist.
        ApiPrincipal found = null;
        for (AuthConfig.User u : users) {
            boolean match = u.name().equals(credentials.getUsername()) & u.password().matches(credentials.getPassword());
            if (match && found == null) {
                found = new ApiPrincipal(u.name(), "basic");
            }
        }
        return Optional.ofNullable(found);
    }
}
