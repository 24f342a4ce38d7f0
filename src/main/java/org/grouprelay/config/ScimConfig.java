package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.grouprelay.membership.NestedPolicy;

/**
 * A SCIM 2.0 application ({@code kind: scim}, RFC 7643/7644).
 *
 * @param url             the SCIM base URL, without a trailing slash (…/scim/v2); resources are {@code {url}/Users}, {@code {url}/Groups}
 * @param token           sent as {@code Authorization: Bearer}
 * @param userName        the directory attribute that becomes the SCIM user's {@code userName} (default {@code uid})
 * @param onUserDeleted   what a deleted directory user's SCIM user becomes
 * @param maxOperations   member values per PATCH request (default 100; lower if the server says so)
 * @param compatibility   a known deviation of the server worked around
 * @param timeout         connect, read and whole-call timeout of every request
 * @param caFile          PEM certificates to trust instead of the JVM's CAs
 */
public record ScimConfig(String url, Secret token, String userName, OnUserDeleted onUserDeleted, int maxOperations,
        Compatibility compatibility, Duration timeout, Optional<Path> caFile, RelayMode mode, Duration deadline, NestedPolicy nested,
        String placeholderMember, Path auditLog) implements TargetSettings {

    /** {@code users.onDelete}: a deleted directory user's SCIM user is set {@code active: false}, deleted, or kept as it is. */
    public enum OnUserDeleted { DEACTIVATE, DELETE, KEEP }

    /**
     * {@code compatibility}: {@code none} (RFC 7644 as written) or {@code aws} (AWS IAM Identity Center: at most 100
     * member values per request, groups read back without members, 409 for anything that exists).
     */
    public enum Compatibility { NONE, AWS }

    @Override
    public String kind() {
        return "scim";
    }
}
