package org.grouprelay.expiry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.grouprelay.directory.ExpiryValue;
import org.grouprelay.directory.GrouprelaySchema;
import org.grouprelay.reconcile.DirectorySource;

/**
 * Reads groups and their memberships' ends in one search under {@code groupsDn}, from the running directory (in
 * process or over LDAP). Member values and expiry values are matched by their normalized DN.
 */
public final class MembershipReader {
    /** Groups whose memberships may end. */
    public static final String EXPIRING = "(objectClass=" + GrouprelaySchema.EXPIRING_GROUP + ")";
    /** Every group. */
    public static final String ALL = "(objectClass=groupOfNames)";

    private final String groupsDn;
    private final String placeholder;

    /** {@code placeholder}: Keycloak's placeholder member, which is no membership. */
    public MembershipReader(String groupsDn, String placeholder) {
        this.groupsDn = groupsDn;
        this.placeholder = placeholder;
    }

    /** The groups {@code filter} selects, those named in {@code names} only unless it is empty. */
    public List<GroupExpiry> read(DirectorySource source, String filter, Set<String> names) throws LdapException {
        List<GroupExpiry> groups = new ArrayList<>();
        List<String> attributes = List.of("cn", "member", "owner", GrouprelaySchema.MEMBER_EXPIRY, GrouprelaySchema.NOTIFY_DAYS,
                GrouprelaySchema.MEMBERSHIP_DAYS);
        LdapException[] failure = new LdapException[1];
        source.search(groupsDn, filter, attributes, entry -> {
            try {
                GroupExpiry group = group(source, entry);
                if (names.isEmpty() || names.contains(group.name())) {
                    groups.add(group);
                }
            } catch (LdapException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return groups;
    }

    private GroupExpiry group(DirectorySource source, Entry entry) throws LdapException {
        Map<String, ExpiryValue> ends = new HashMap<>();
        Map<String, String> endValues = new HashMap<>();
        for (String value : strings(entry.get(GrouprelaySchema.MEMBER_EXPIRY))) {
            try {
                ExpiryValue parsed = ExpiryValue.parse(value);
                String key = norm(source, parsed.member());
                ends.put(key, parsed);
                endValues.put(key, value);
            } catch (IllegalArgumentException e) {
                // refused when written; one left from before is no membership's end
            }
        }
        String placeholderNorm = norm(source, placeholder);
        List<GroupExpiry.Member> members = new ArrayList<>();
        boolean placeholder = false;
        for (String value : strings(entry.get("member"))) {
            String key = norm(source, value);
            if (key.equals(placeholderNorm)) {
                placeholder = true;
                continue;
            }
            ExpiryValue end = ends.remove(key);
            members.add(new GroupExpiry.Member(value, Optional.ofNullable(end).map(ExpiryValue::end),
                    Optional.ofNullable(endValues.get(key))));
        }
        List<String> dangling = ends.keySet().stream().map(endValues::get).toList();
        String name = Optional.ofNullable(entry.get("cn")).map(Attribute::get).map(Value::getString)
                .orElse(entry.getDn().getRdn().getValue());
        return new GroupExpiry(entry.getDn().getName(), name, integer(entry.get(GrouprelaySchema.MEMBERSHIP_DAYS)),
                integer(entry.get(GrouprelaySchema.NOTIFY_DAYS)), strings(entry.get("owner")), members, placeholder,
                dangling);
    }

    private static Optional<Integer> integer(Attribute attribute) {
        try {
            return attribute == null ? Optional.empty() : Optional.of(Integer.parseInt(attribute.getString().strip()));
        } catch (NumberFormatException | LdapException e) {
            return Optional.empty();
        }
    }

    private static List<String> strings(Attribute attribute) {
        List<String> values = new ArrayList<>();
        if (attribute != null) {
            for (Value value : attribute) {
                values.add(value.getString());
            }
        }
        return values;
    }

    static String norm(DirectorySource source, String dn) {
        try {
            return new Dn(source.schemaManager(), dn).getNormName();
        } catch (LdapException | RuntimeException e) {
            return dn.strip().toLowerCase(Locale.ROOT);
        }
    }
}
