package org.grouprelay.change;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which LDAP operation, by whom, caused a batch of changes (for the audit trail).
 *
 * @param reason why the directory made the change itself, when it did ({@link #MEMBER_EXPIRED}); {@code null} otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(String operation, String dn, String bindDn, String reason) {
    /** The directory removed a membership whose {@code grouprelayMemberExpiry} passed. */
    public static final String MEMBER_EXPIRED = "member-expired";

    public Origin(String operation, String dn, String bindDn) {
        this(operation, dn, bindDn, null);
    }
}
