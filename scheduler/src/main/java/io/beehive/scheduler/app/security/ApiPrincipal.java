package io.beehive.scheduler.app.security;

import java.security.Principal;

/** Who made an authenticated request: a configured user, or the owner of a configured token. */
public record ApiPrincipal(String name, String method) implements Principal {
    @Override
    public String getName() {
        return name;
    }
}
