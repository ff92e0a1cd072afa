package io.beehive.election;

import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * ZooKeeper digest authentication for Beehive's client, and the one place the ACLs of Beehive's nodes are built:
 * every permission for the Beehive identity, and for everyone else nothing (default: records hold job
 * environments, which may hold secrets) or read only (if {@code worldReadable}). {@link ZooKeeperClients} applies
 * them (not world-readable) when {@link ZooKeeperSettings} carry credentials, so the latch nodes, the root and
 * the state module's records are protected alike.
 *
 * <pre>
 * DigestCredentials creds = DigestCredentials.parse("beehive:s3cret");
 * CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()...;
 * creds.applyTo(builder, false);
 * </pre>
 */
public final class DigestCredentials {
    private final String user;
    private final byte[] userColonPassword;
    private final Id digestId;

    private DigestCredentials(String user, String userColonPassword) {
        this.user = user;
        this.userColonPassword = userColonPassword.getBytes(StandardCharsets.UTF_8);
        try {
            this.digestId = new Id("digest", DigestAuthenticationProvider.generateDigest(userColonPassword));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 (ZooKeeper's digest scheme) is not available in this JVM", e);
        }
    }

    /** @param userColonPassword {@code user:password}; the user must not be empty nor contain ':' */
    public static DigestCredentials parse(String userColonPassword) {
        if (userColonPassword == null) {
            throw new IllegalArgumentException("ZooKeeper credentials must be given as user:password");
        }
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0 || colon == userColonPassword.length() - 1) {
            throw new IllegalArgumentException("ZooKeeper credentials must be given as user:password, with neither "
                    + "part empty");
        }
        return new DigestCredentials(userColonPassword.substring(0, colon), userColonPassword);
    }

    public String user() {
        return user;
    }

    /** The bytes for {@code addAuthInfo("digest", ...)}. */
    public byte[] authBytes() {
        return userColonPassword.clone();
    }

    /**
     * The list is not a {@code List.of}: ZooKeeper's client validates ACLs with {@code contains(null)}, which
     * immutable JDK lists answer with a NullPointerException.
     */
    public List<ACL> acls(boolean worldReadable) {
        List<ACL> acls = new ArrayList<>(2);
        acls.add(new ACL(ZooDefs.Perms.ALL, digestId));
        if (worldReadable) {
            acls.add(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        }
        return Collections.unmodifiableList(acls);
    }

    public ACLProvider aclProvider(boolean worldReadable) {
        List<ACL> acls = acls(worldReadable);
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acls;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acls;
            }
        };
    }

    /** Authenticates the client and makes every node it creates carry {@link #acls}. */
    public CuratorFrameworkFactory.Builder applyTo(CuratorFrameworkFactory.Builder builder, boolean worldReadable) {
        return builder.authorization("digest", authBytes()).aclProvider(aclProvider(worldReadable));
    }

    /** Same user and password: the same ZooKeeper identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DigestCredentials that && Arrays.equals(userColonPassword, that.userColonPassword);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(userColonPassword);
    }

    @Override
    public String toString() {
        return "DigestCredentials[user=" + user + ", password=***]";
    }
}
