package io.beehive.state;

/**
 * A record the loader could not read.
 *
 * @param originalPath   where it was
 * @param quarantinePath where its bytes are now; {@code null} if moving it failed (it is then still at
 *                       {@code originalPath} and will be reported again by the next load)
 * @param reason         why it could not be read
 */
public record QuarantinedRecord(String originalPath, String quarantinePath, String reason) {
    public boolean moved() {
        return quarantinePath != null;
    }
}
