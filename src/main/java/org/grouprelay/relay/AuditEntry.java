package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a target's audit log ({@code audit.jsonl}): what changed, why, and what the target got.
 *
 * @param target        the target's name ({@code targets.<name>}; {@code seafile} for the seafile section)
 * @param targetGroupId the target's id of the group (Seafile: its number)
 * @param targetUser    the target's id of the user (Seafile: the account id)
 * @param outcome       applied | pending | queued | failed | ignored | refused | retrying (n)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(String time, String target, String operation, String dn, String bindDn, String change, String groupUuid,
        String groupDn, String group, String targetGroupId, String user, String targetUser, String outcome, String reason) {
}
