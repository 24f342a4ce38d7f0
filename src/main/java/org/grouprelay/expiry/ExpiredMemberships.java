package org.grouprelay.expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.directory.api.ldap.model.message.ModifyRequest;
import org.apache.directory.api.ldap.model.message.ModifyRequestImpl;
import org.apache.directory.api.ldap.model.message.ModifyResponse;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.directory.AdminConnection;
import org.grouprelay.directory.GrouprelaySchema;
import org.grouprelay.reconcile.DirectorySource;
import org.grouprelay.reconcile.DirectoryFindings;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.LdapDirectorySource;

/**
 * For the consistency check: memberships whose end passed but which are still in the directory ({@code expiry.enforce}
 * off, or {@code serve} stopped). {@code check --repair} ends them over LDAP as the admin, one modify per group, which
 * the running {@code serve} relays to every target like its own enforcement (the directory sees that the memberships
 * removed had ended, and the audit says {@code member-expired}).
 */
public final class ExpiredMemberships implements DirectoryFindings {
    private final DirectoryConfig directory;
    private final MembershipReader reader;
    private final String placeholder;
    private final Clock clock;

    public ExpiredMemberships(DirectoryConfig directory, String placeholder, Clock clock) {
        this.directory = directory;
        this.reader = new MembershipReader(directory.groupsDn(), placeholder);
        this.placeholder = placeholder;
        this.clock = clock;
    }

    @Override
    public List<Finding> find(DirectorySource source, Set<String> groups) throws Exception {
        Instant now = clock.instant();
        List<Finding> findings = new ArrayList<>();
        for (GroupExpiry group : reader.read(source, MembershipReader.EXPIRING, groups)) {
            for (GroupExpiry.Member member : group.members()) {
                if (member.end().filter(e -> !e.isAfter(now)).isPresent()) {
                    findings.add(new Finding(Finding.Kind.MEMBERSHIP_EXPIRED, group.name(), member.value(),
                            "ended " + member.end().get() + " (expiry.enforce is off, or serve was not running)",
                            "--repair ends it in the directory; serve relays the removal to every target"));
                }
            }
        }
        return findings;
    }

    @Override
    public List<String> repair(List<Finding> findings) throws Exception {
        Set<String> groups = new java.util.HashSet<>();
        findings.forEach(f -> groups.add(f.group()));
        List<String> failures = new ArrayList<>();
        Instant now = clock.instant();
        try (LdapDirectorySource source = new LdapDirectorySource(directory);
                LdapNetworkConnection ldap = new LdapNetworkConnection(AdminConnection.config(directory, Duration.ofSeconds(60)))) {
            ldap.bind();
            for (GroupExpiry group : reader.read(source, MembershipReader.EXPIRING, groups)) {
                List<GroupExpiry.Member> over = group.members().stream()
                        .filter(m -> m.end().filter(e -> !e.isAfter(now)).isPresent()).toList();
                if (over.isEmpty()) {
                    continue;
                }
                ModifyRequest request = new ModifyRequestImpl();
                request.setName(new Dn(group.dn()));
                for (GroupExpiry.Member member : over) {
                    request.remove("member", member.value());
                    request.remove(GrouprelaySchema.MEMBER_EXPIRY, member.expiryValue().orElseThrow());
                }
                if (over.size() == group.members().size() && !group.placeholder()) {
                    request.add("member", placeholder);
                }
                ModifyResponse response = ldap.modify(request);
                if (response.getLdapResult().getResultCode() != ResultCodeEnum.SUCCESS) {
                    failures.add("end memberships in " + group.name() + ": " + response.getLdapResult().getResultCode() + " "
                            + response.getLdapResult().getDiagnosticMessage());
                }
            }
        }
        return failures;
    }
}
