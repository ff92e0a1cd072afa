package io.beehive.scheduler.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code api.auth:} who may change things. With {@code enabled}, every mutating request needs HTTP Basic
 * credentials of a listed user or a listed bearer token; reads need them too when {@code protectReads}. Entries
 * whose secret is empty are ignored, so a configuration can list {@code ${BEEHIVE_API_TOKEN:-}} and leave it
 * unset.
 */
public class AuthConfig {
    @JsonProperty
    private boolean enabled = false;

    @JsonProperty
    private boolean protectReads = false;

    @JsonProperty
    @Valid
    @NotNull
    private List<User> users = new ArrayList<>();

    @JsonProperty
    @Valid
    @NotNull
    private List<Token> tokens = new ArrayList<>();

    public static class User {
        @JsonProperty
        @NotBlank
        private String name;

        @JsonSetter(nulls = Nulls.SKIP)
        @JsonProperty
        @NotNull
        private Secret password = Secret.empty();

        public User() {
        }

        public User(String name, String password) {
            this.name = name;
            this.password = Secret.of(password);
        }

        public String name() {
            return name;
        }

        public Secret password() {
            return password;
        }
    }

    public static class Token {
        /** Who the token belongs to, for the logs (the token itself is never logged). */
        @JsonProperty
        @NotBlank
        private String name;

        @JsonSetter(nulls = Nulls.SKIP)
        @JsonProperty
        @NotNull
        private Secret token = Secret.empty();

        public Token() {
        }

        public Token(String name, String token) {
            this.name = name;
            this.token = Secret.of(token);
        }

        public String name() {
            return name;
        }

        public Secret token() {
            return token;
        }
    }

    @AssertTrue(message = "api.auth.enabled needs at least one user with a password or one token")
    public boolean isUsableWhenEnabled() {
        return !enabled || !usableUsers().isEmpty() || !usableTokens().isEmpty();
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean protectReads() {
        return protectReads;
    }

    public List<User> usableUsers() {
        return users.stream().filter(u -> !u.password().isEmpty()).toList();
    }

    public List<Token> usableTokens() {
        return tokens.stream().filter(t -> !t.token().isEmpty()).toList();
    }

    public AuthConfig enable(boolean protectReads, List<User> users, List<Token> tokens) {
        this.enabled = true;
        this.protectReads = protectReads;
        this.users = new ArrayList<>(users);
        this.tokens = new ArrayList<>(tokens);
        return this;
    }
}
