package org.grouprelay.change;

/** Which LDAP operation, by whom, caused a batch of changes (for the audit trail). */
public record Origin(String operation, String dn, String bindDn) {
}
