package org.grouprelay.directory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapInvalidAttributeValueException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.OperationContext;
import org.apache.directory.server.core.shared.DefaultCoreSession;

/**
 * Keeps {@code grouprelayMemberExpiry} values consistent with {@code member}, ahead of the schema check: a value
 * written must be well-formed and name a member (else result 21); a second value written for the same member renews
 * it (the older one goes); removing a member removes its value; a member added to a group with
 * {@code grouprelayMembershipDays} gets one. The values it adds and removes are part of the same modify.
 */
public final class ExpiryInterceptor extends BaseInterceptor {
    /** Its name in ApacheDS's chain. */
    public static final String NAME = "grouprelayExpiryInterceptor";
    private final Clock clock;
    /** The modify running on this thread that removes memberships whose end passed, while it runs. */
    private final ThreadLocal<OperationContext> ending = new ThreadLocal<>();
    private final String peopleDn;
    private final String groupsDn;
    private AttributeType member;
    private volatile AttributeType expiry;
    private volatile AttributeType days;
    private String peopleSuffix;
    private String groupsSuffix;

    ExpiryInterceptor(Clock clock, String peopleDn, String groupsDn) {
        super(NAME);
        this.clock = clock;
        this.peopleDn = peopleDn;
        this.groupsDn = groupsDn;
    }

    @Override
    public void init(DirectoryService directoryService) throws LdapException {
        super.init(directoryService);
        member = schemaManager.getAttributeType("member");
        peopleSuffix = "," + norm(peopleDn);
        groupsSuffix = "," + norm(groupsDn);
    }

    /** grouprelay's schema is added after the interceptors start (on the first start of a directory): looked up when needed. */
    private boolean schemaReady() {
        if (expiry == null) {
            expiry = schemaManager.getAttributeType(GrouprelaySchema.MEMBER_EXPIRY);
            days = schemaManager.getAttributeType(GrouprelaySchema.MEMBERSHIP_DAYS);
        }
        return expiry != null && days != null;
    }

    @Override
    public void add(AddOperationContext ctx) throws LdapException {
        Entry entry = ctx.getEntry();
        if (schemaReady() && entry.hasObjectClass("groupOfNames") && entry.hasObjectClass(GrouprelaySchema.EXPIRING_GROUP)) {
            State state = new State(entry);
            List<Modification> extra = state.settle(ctx.getDn(), Map.of(), Map.of(), false);
            for (Modification mod : extra) {
                entry.add(expiry, mod.getAttribute().getString());
            }
        }
        next(ctx);
    }

    @Override
    public void modify(ModifyOperationContext ctx) throws LdapException {
        Entry before = ctx.getEntry();
        // a group that is not an expiring one costs nothing here (big groups' member edits stay O(k))
        if (!schemaReady() || before == null || !before.hasObjectClass("groupOfNames")) {
            next(ctx);
            return;
        }
        boolean expiring = before.hasObjectClass(GrouprelaySchema.EXPIRING_GROUP);
        if (ctx.getModItems().stream().noneMatch(m -> touches(type(m.getAttribute()), expiring))) {
            next(ctx);
            return;
        }
        State state = new State(before);
        Map<String, String> beforeMembers = new LinkedHashMap<>(state.members);
        Map<String, String> beforeExpiry = new LinkedHashMap<>(state.expiry);
        for (Modification mod : ctx.getModItems()) {
            state.apply(mod);
        }
        List<Modification> mods = new ArrayList<>(ctx.getModItems());
        mods.addAll(state.settle(ctx.getDn(), beforeExpiry, beforeMembers, isInternal(ctx)));
        ctx.setModItems(mods);
        if (!endedMemberLeft(beforeExpiry, beforeMembers, state.members)) {
            next(ctx);
            return;
        }
        ending.set(ctx);
        try {
            next(ctx);
        } finally {
            ending.remove();
        }
    }

    /**
     * Whether {@code ctx} (a modify further down the chain, on this thread) removes memberships whose end passed: the
     * directory's own enforcement, or {@code check --repair}; the relay's audit then says {@code member-expired}.
     */
    public boolean endsMemberships(OperationContext ctx) {
        return ending.get() == ctx;
    }

    /** Whether a member whose end passed leaves the group with this modify (its end, not an admin's choice, removed it). */
    private boolean endedMemberLeft(Map<String, String> beforeExpiry, Map<String, String> beforeMembers, Map<String, String> afterMembers)
            throws LdapException {
        for (String value : beforeExpiry.values()) {
            try {
                ExpiryValue parsed = ExpiryValue.parse(value);
                String memberNorm = norm(parsed.member());
                if (!parsed.end().isAfter(clock.instant()) && beforeMembers.containsKey(memberNorm)
                        && !afterMembers.containsKey(memberNorm)) {
                    return true;
                }
            } catch (IllegalArgumentException | LdapException e) {
                // not a well-formed end: not an ended membership
            }
        }
        return false;
    }

    /** A write of the directory's own (refint after a rename), not of a client. */
    private static boolean isInternal(ModifyOperationContext ctx) {
        return ctx.getSession() instanceof DefaultCoreSession session && session.getIoSession() == null && session.isAdministrator();
    }

    private boolean touches(AttributeType type, boolean expiringGroup) {
        return expiringGroup && member.equals(type) || expiry.equals(type) || days.equals(type);
    }

    private AttributeType type(Attribute attribute) {
        if (attribute.getAttributeType() != null) {
            return attribute.getAttributeType();
        }
        return schemaManager.getAttributeType(attribute.getUpId());
    }

    private String norm(String dn) throws LdapException {
        return new Value(member, dn).getNormalized();
    }

    private static LdapException refused(String reason) {
        return new LdapInvalidAttributeValueException(ResultCodeEnum.INVALID_ATTRIBUTE_SYNTAX, reason);
    }

    /** The member, expiry and lifetime values of one group as the operation leaves them. */
    private final class State {
        /** Normalized member DN → its spelling. */
        final Map<String, String> members = new LinkedHashMap<>();
        /** Normalized expiry value → its spelling. */
        final Map<String, String> expiry = new LinkedHashMap<>();
        Optional<String> lifetime;

        State(Entry entry) throws LdapException {
            put(members, entry.get(member));
            put(expiry, entry.get(ExpiryInterceptor.this.expiry));
            lifetime = Optional.ofNullable(entry.get(days)).map(Attribute::get).map(Value::getString);
        }

        void apply(Modification mod) throws LdapException {
            AttributeType type = type(mod.getAttribute());
            Map<String, String> values = member.equals(type) ? members : ExpiryInterceptor.this.expiry.equals(type) ? expiry : null;
            if (days.equals(type)) {
                boolean gone = mod.getOperation() == ModificationOperation.REMOVE_ATTRIBUTE
                        || mod.getOperation() == ModificationOperation.REPLACE_ATTRIBUTE && mod.getAttribute().size() == 0;
                lifetime = gone ? Optional.empty() : Optional.ofNullable(mod.getAttribute().get()).map(Value::getString).or(() -> lifetime);
                return;
            }
            if (values == null) {
                return;
            }
            switch (mod.getOperation()) {
                case ADD_ATTRIBUTE -> put(values, mod.getAttribute());
                case REPLACE_ATTRIBUTE -> {
                    values.clear();
                    put(values, mod.getAttribute());
                }
                case REMOVE_ATTRIBUTE -> {
                    if (mod.getAttribute().size() == 0) {
                        values.clear();
                    }
                    for (Value value : mod.getAttribute()) {
                        values.remove(value.isSchemaAware() && type.equals(value.getAttributeType()) ? value.getNormalized()
                                : normalized(type, value.getString()));
                    }
                }
                default -> {
                }
            }
        }

        private void put(Map<String, String> values, Attribute attribute) throws LdapException {
            if (attribute == null) {
                return;
            }
            AttributeType type = type(attribute);
            for (Value value : attribute) {
                values.put(value.isSchemaAware() && type.equals(value.getAttributeType()) ? value.getNormalized()
                        : normalized(type, value.getString()), value.getString());
            }
        }

        private String normalized(AttributeType type, String value) throws LdapException {
            return new Value(type, value).getNormalized();
        }

        /**
         * Checks the values written by this operation and returns the modifications that make the rest agree: values of
         * members that left go, older values of renewed members go, new members of a group with a lifetime get one.
         * {@code rewrite}: the directory rewrites member values itself (a user renamed), so one member replaced by
         * another keeps the end.
         */
        List<Modification> settle(Dn group, Map<String, String> beforeExpiry, Map<String, String> beforeMembers, boolean rewrite)
                throws LdapException {
            List<Modification> extra = new ArrayList<>();
            Map<String, List<String>> byMember = new LinkedHashMap<>();
            Map<String, ExpiryValue> parsed = new LinkedHashMap<>();
            for (Map.Entry<String, String> value : expiry.entrySet()) {
                boolean written = !beforeExpiry.containsKey(value.getKey());
                ExpiryValue read;
                String memberNorm;
                try {
                    read = ExpiryValue.parse(value.getValue());
                } catch (IllegalArgumentException e) {
                    if (written) {
                        throw refused(GrouprelaySchema.MEMBER_EXPIRY + ": " + e.getMessage());
                    }
                    continue; // an old malformed value is left as it is
                }
                try {
                    memberNorm = ExpiryInterceptor.this.norm(read.member());
                } catch (LdapException | RuntimeException e) {
                    if (written) {
                        throw refused(GrouprelaySchema.MEMBER_EXPIRY + ": '" + read.member() + "' is not a valid DN");
                    }
                    continue;
                }
                if (written && !members.containsKey(memberNorm)) {
                    throw refused(GrouprelaySchema.MEMBER_EXPIRY + ": '" + value.getValue() + "' names " + read.member()
                            + ", which is not a member of " + group.getName() + "; add the member first");
                }
                parsed.put(value.getKey(), read);
                byMember.computeIfAbsent(memberNorm, k -> new ArrayList<>()).add(value.getKey());
            }
            for (Map.Entry<String, List<String>> values : byMember.entrySet()) {
                List<String> written = values.getValue().stream().filter(v -> !beforeExpiry.containsKey(v)).toList();
                if (written.size() > 1) {
                    throw refused(GrouprelaySchema.MEMBER_EXPIRY + ": two values for " + parsed.get(written.get(0)).member()
                            + "; write one value per member");
                }
                for (String value : values.getValue()) {
                    if (!members.containsKey(values.getKey()) || written.size() == 1 && !value.equals(written.get(0))) {
                        extra.add(remove(expiry.get(value)));
                    }
                }
            }
            List<String> left = beforeMembers.keySet().stream().filter(m -> !members.containsKey(m)).toList();
            List<String> joined = members.keySet().stream().filter(m -> !beforeMembers.containsKey(m)).toList();
            Optional<ExpiryValue> carried = rewrite && left.size() == 1 && joined.size() == 1 && !byMember.containsKey(joined.get(0))
                    ? beforeExpiry.keySet().stream().map(parsed::get).filter(v -> v != null && norm(v.member()).equals(left.get(0))).findFirst()
                    : Optional.empty();
            if (carried.isPresent()) {
                // the user was renamed: the membership keeps its end
                extra.add(add(new ExpiryValue(carried.get().end(), members.get(joined.get(0)))));
                return extra;
            }
            Optional<Integer> lifetimeDays = lifetime.flatMap(ExpiryInterceptor::days);
            if (lifetimeDays.isPresent()) {
                for (String joinedMember : joined) {
                    if (!byMember.containsKey(joinedMember) && (joinedMember.endsWith(peopleSuffix) || joinedMember.endsWith(groupsSuffix))) {
                        extra.add(add(new ExpiryValue(clock.instant().plus(Duration.ofDays(lifetimeDays.get())), members.get(joinedMember))));
                    }
                }
            }
            return extra;
        }

        private String norm(String dn) {
            try {
                return ExpiryInterceptor.this.norm(dn);
            } catch (LdapException e) {
                return dn;
            }
        }
    }

    private static Optional<Integer> days(String value) {
        try {
            int parsed = Integer.parseInt(value.strip());
            return parsed > 0 ? Optional.of(parsed) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Modification add(ExpiryValue value) throws LdapException {
        return new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, new DefaultAttribute(expiry, value.toString()));
    }

    private Modification remove(String value) throws LdapException {
        return new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, new DefaultAttribute(expiry, value));
    }
}
