package io.beehive.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

class DigestCredentialsTest {
    private static final DigestCredentials CREDENTIALS = DigestCredentials.parse("beehive:s3cret");

    @Test
    void credentialsAreValidatedAndNeverPrinted() {
        assertThatThrownBy(() -> DigestCredentials.parse("nopassword")).hasMessageContaining("user:password");
        assertThatThrownBy(() -> DigestCredentials.parse(":x")).hasMessageContaining("user:password");
        assertThat(CREDENTIALS.toString()).doesNotContain("s3cret");
        assertThat(CREDENTIALS.user()).isEqualTo("beehive");
    }

    @Test
    void theAclsGiveTheIdentityEverythingAndOthersAtMostRead() {
        assertThat(CREDENTIALS.acls(false)).singleElement().satisfies(acl -> {
            assertThat(acl.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
            assertThat(acl.getId().getScheme()).isEqualTo("digest");
            assertThat(acl.getId().getId()).startsWith("beehive:").doesNotContain("s3cret");
        });
        assertThat(CREDENTIALS.acls(true)).hasSize(2)
                .contains(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        // ZooKeeper's client checks ACL lists with contains(null), which List.of answers with an exception.
        assertThat(CREDENTIALS.acls(true).contains(null)).isFalse();
    }

    @Test
    void theSameUserAndPasswordAreEqualCredentials() {
        assertThat(DigestCredentials.parse("beehive:s3cret")).isEqualTo(CREDENTIALS)
                .hasSameHashCodeAs(CREDENTIALS);
        assertThat(DigestCredentials.parse("beehive:other")).isNotEqualTo(CREDENTIALS);
        assertThat(ZooKeeperSettings.defaults("zk:2181").withDigestCredentials("beehive:s3cret"))
                .isEqualTo(ZooKeeperSettings.defaults("zk:2181").withDigestCredentials("beehive:s3cret"));
    }
}
