package org.grouprelay.expiry;

import java.time.Instant;
import java.util.List;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.message.ModifyRequest;
import org.apache.directory.api.ldap.model.message.ModifyRequestImpl;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.grouprelay.directory.GrouprelaySchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends memberships whose time has come: per group, one modify that removes the member values and their expiry values,
 * through the directory's whole chain (so capture relays the removal to every target like any other; the directory
 * sees that the memberships had ended, and the audit lines say {@code member-expired}). A group left without a member keeps Keycloak's placeholder, as groupOfNames needs one.
 */
final class Enforcer {
    private static final Logger log = LoggerFactory.getLogger(Enforcer.class);

    private final DirectoryService service;
    private final String placeholder;
    /** The last failure per group, so a refusal that lasts (strict mode, a target down) is logged once, not every round. */
    private final java.util.Map<String, String> failing = new java.util.HashMap<>();

    Enforcer(DirectoryService service, String placeholder) {
        this.service = service;
        this.placeholder = placeholder;
    }

    /** Removes what ended by {@code now}; returns how many memberships ended. */
    int enforce(List<GroupExpiry> groups, Instant now) {
        int ended = 0;
        for (GroupExpiry group : groups) {
            List<GroupExpiry.Member> expired = group.members().stream().filter(m -> m.end().filter(e -> !e.isAfter(now)).isPresent()).toList();
            if (expired.isEmpty() && group.dangling().isEmpty()) {
                continue;
            }
            try {
                ModifyRequest request = new ModifyRequestImpl();
                request.setName(new Dn(service.getSchemaManager(), group.dn()));
                for (GroupExpiry.Member member : expired) {
                    request.remove("member", member.value());
                    request.remove(GrouprelaySchema.MEMBER_EXPIRY, member.expiryValue().orElseThrow());
                }
                for (String value : group.dangling()) {
                    request.remove(GrouprelaySchema.MEMBER_EXPIRY, value);
                }
                if (!expired.isEmpty() && expired.size() == group.members().size() && !group.placeholder()) {
                    request.add("member", placeholder);
                }
                service.getAdminSession().modify(request);
                for (GroupExpiry.Member member : expired) {
                    log.info("membership of {} in {} ended at {}: removed", member.value(), group.name(), member.end().orElseThrow());
                }
                ended += expired.size();
                failing.remove(group.dn());
            } catch (LdapException | RuntimeException e) {
                String message = String.valueOf(e.getMessage());
                if (!message.equals(failing.put(group.dn(), message))) {
                    log.error("could not end expired memberships in {} (tried again every round): {}", group.dn(), message);
                }
            }
        }
        return ended;
    }
}
