package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the audit log ({@code audit.jsonl}): what changed, why, and what Seafile got.
 *
 * @param outcome applied | pending | queued | failed | ignored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(String time, String operation, String dn, String bindDn, String change, String groupUuid,
        String groupDn, String group, Long seafileGroupId, String user, String seafileUser, String outcome, String reason) {
}
