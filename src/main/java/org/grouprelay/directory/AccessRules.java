package org.grouprelay.directory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoPermissionException;
import org.apache.directory.api.ldap.model.filter.BranchNode;
import org.apache.directory.api.ldap.model.filter.ExprNode;
import org.apache.directory.api.ldap.model.filter.LeafNode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.filtering.EntryFilter;
import org.apache.directory.server.core.api.filtering.EntryFilteringCursor;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.CompareOperationContext;
import org.apache.directory.server.core.api.interceptor.context.DeleteOperationContext;
import org.apache.directory.server.core.api.interceptor.context.LookupOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveAndRenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveOperationContext;
import org.apache.directory.server.core.api.interceptor.context.OperationContext;
import org.apache.directory.server.core.api.interceptor.context.RenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;
import org.grouprelay.config.AccessConfig;
import org.grouprelay.config.AccessConfig.Right;
import org.grouprelay.config.AccessConfig.Rule;
import org.grouprelay.config.ConfigException;

/**
 * grouprelay's access control, in place of ApacheDS's ACI subsystem ({@code directory.access.engine: grouprelay}). Costs
 * a map lookup and a DN comparison per operation and per returned entry, whatever the number of groups: nothing is
 * read or cached at start.
 * <ul>
 * <li>{@code uid=admin,ou=system} (and grouprelay's own internal sessions) may do everything;</li>
 * <li>an anonymous session reads the root DSE only;</li>
 * <li>a bound account reads its own entry, and the subschema subentry;</li>
 * <li>an account named in a rule reads (and, with {@code access: write}, adds, modifies, deletes and renames) the rule's
 * subtree, never reading, comparing or filtering on the rule's hidden attributes ({@code userPassword} always), never
 * writing its read-only ones;</li>
 * <li>everything else is refused with 50 (insufficientAccessRights), and entries outside what an account may read are
 * left out of its search results, as ApacheDS's ACIs do.</li>
 * </ul>
 */
public final class AccessRules extends BaseInterceptor {
    /** Its name in ApacheDS's chain. */
    public static final String NAME = "grouprelayAccessRules";
    private static final String PASSWORD = AccessConfig.PASSWORD.toLowerCase(Locale.ROOT);

    private final List<Rule> rules;
    /** Each account's grants, by the account's normalized DN. */
    private final Map<String, List<Grant>> grants = new HashMap<>();
    private Dn subschemaSubentry;

    AccessRules(AccessConfig config) {
        super(NAME);
        this.rules = config.rules();
    }

    /** One rule as it applies to one account, with its DN normalized. */
    private record Grant(Dn subtree, Right right, Set<String> hide, Set<String> readOnly) {
        boolean covers(Dn dn) {
            return dn.equals(subtree) || dn.isDescendantOf(subtree);
        }
    }

    @Override
    public void init(DirectoryService directoryService) throws LdapException {
        super.init(directoryService);
        for (Rule rule : rules) {
            Grant grant = new Grant(new Dn(schemaManager, rule.subtree()), rule.right(), lower(rule.hide()), lower(rule.readOnly()));
            for (String account : rule.accounts()) {
                grants.computeIfAbsent(new Dn(schemaManager, account).getNormName(), k -> new ArrayList<>()).add(grant);
            }
        }
        subschemaSubentry = new Dn(schemaManager, directoryService.getPartitionNexus()
                .getRootDseValue(directoryService.getAtProvider().getSubschemaSubentry()).getString());
    }

    /**
     * Names the rule whose attribute the schema does not know, as a configuration mistake. Called once grouprelay's own
     * schema is in (on a first start it is added after the interceptors started).
     */
    static void checkAttributes(AccessConfig config, SchemaManager schemaManager) {
        for (int i = 0; i < config.rules().size(); i++) {
            Rule rule = config.rules().get(i);
            for (Map.Entry<String, Set<String>> list : Map.of("hide", rule.hide(), "readOnly", rule.readOnly()).entrySet()) {
                for (String name : list.getValue()) {
                    if (schemaManager.getAttributeType(name) == null) {
                        throw new ConfigException("directory.access.rules[" + i + "]." + list.getKey() + ": '" + name
                                + "' is not an attribute type of this directory's schema");
                    }
                }
            }
        }
    }

    private static Set<String> lower(Set<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether one of {@code names} (lower case, names or OIDs) names {@code type}. */
    private static boolean names(Set<String> names, AttributeType type) {
        if (names.isEmpty() || type == null) {
            return false;
        }
        if (names.contains(type.getOid())) {
            return true;
        }
        for (String name : type.getNames()) {
            if (names.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** The account's grants; {@code null} when the session may do everything. */
    private List<Grant> grantsOf(OperationContext ctx) {
        CoreSession session = ctx.getSession();
        if (session.isAdministrator()) {
            return null;
        }
        if (session.isAnonymous()) {
            return List.of();
        }
        return grants.getOrDefault(principal(session).getNormName(), List.of());
    }

    private Dn principal(CoreSession session) {
        Dn dn = session.getEffectivePrincipal().getDn();
        if (dn.isSchemaAware()) {
            return dn;
        }
        try {
            return new Dn(schemaManager, dn);
        } catch (LdapException e) {
            return Dn.EMPTY_DN;
        }
    }

    private static LdapNoPermissionException refuse(OperationContext ctx, String what, Dn dn) {
        CoreSession session = ctx.getSession();
        String who = session.isAnonymous() ? "an anonymous session" : session.getEffectivePrincipal().getDn().getName();
        return new LdapNoPermissionException("insufficient access rights: " + who + " may not " + what + " " + dn.getName());
    }

    /** The write grant covering {@code dn}, or a refusal. */
    private static Grant writer(OperationContext ctx, List<Grant> own, String what, Dn dn) throws LdapNoPermissionException {
        for (Grant grant : own) {
            if (grant.right() == Right.WRITE && grant.covers(dn)) {
                return grant;
            }
        }
        throw refuse(ctx, what, dn);
    }

    @Override
    public void add(AddOperationContext ctx) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        if (own != null) {
            Grant grant = writer(ctx, own, "add", ctx.getDn());
            for (Attribute attribute : ctx.getEntry()) {
                if (names(grant.readOnly(), attribute.getAttributeType())) {
                    throw refuse(ctx, "add " + attribute.getUpId() + " to", ctx.getDn());
                }
            }
        }
        next(ctx);
    }

    @Override
    public void modify(ModifyOperationContext ctx) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        if (own != null) {
            Grant grant = writer(ctx, own, "modify", ctx.getDn());
            for (Modification mod : ctx.getModItems()) {
                Attribute attribute = mod.getAttribute();
                AttributeType type = attribute.getAttributeType() != null ? attribute.getAttributeType()
                        : schemaManager.getAttributeType(attribute.getId());
                if (names(grant.readOnly(), type)) {
                    throw refuse(ctx, "change " + attribute.getUpId() + " of", ctx.getDn());
                }
                // Removing one given value succeeds only if it is there: an oracle for a value one may not read.
                if (hidden(grant.hide(), type) && mod.getOperation() == ModificationOperation.REMOVE_ATTRIBUTE && attribute.size() > 0) {
                    throw refuse(ctx, "remove single values of " + attribute.getUpId() + " (replace it instead) of", ctx.getDn());
                }
            }
        }
        next(ctx);
    }

    @Override
    public void delete(DeleteOperationContext ctx) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        if (own != null) {
            writer(ctx, own, "delete", ctx.getDn());
        }
        next(ctx);
    }

    @Override
    public void rename(RenameOperationContext ctx) throws LdapException {
        checkMove(ctx, ctx.getDn(), ctx.getNewDn());
        next(ctx);
    }

    @Override
    public void move(MoveOperationContext ctx) throws LdapException {
        checkMove(ctx, ctx.getDn(), ctx.getNewDn());
        next(ctx);
    }

    @Override
    public void moveAndRename(MoveAndRenameOperationContext ctx) throws LdapException {
        checkMove(ctx, ctx.getDn(), ctx.getNewDn());
        next(ctx);
    }

    private void checkMove(OperationContext ctx, Dn from, Dn to) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        if (own != null) {
            writer(ctx, own, "rename", from);
            writer(ctx, own, "rename an entry to", to);
        }
    }

    @Override
    public boolean compare(CompareOperationContext ctx) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        if (own != null) {
            Dn dn = ctx.getDn();
            if (!readable(ctx, own, dn)) {
                throw refuse(ctx, "compare", dn);
            }
            AttributeType type = ctx.getAttributeType() != null ? ctx.getAttributeType() : schemaManager.getAttributeType(ctx.getOid());
            if (hidden(hideFor(own, dn), type)) {
                throw refuse(ctx, "compare " + ctx.getOid() + " of", dn);
            }
        }
        return next(ctx);
    }

    @Override
    public Entry lookup(LookupOperationContext ctx) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        Entry entry = next(ctx);
        if (own == null || entry == null || ctx.getDn().isRootDse()) {
            return entry;
        }
        Dn self = ctx.getSession().isAnonymous() ? Dn.EMPTY_DN : principal(ctx.getSession());
        if (!readable(own, self, ctx.getDn())) {
            throw refuse(ctx, "read", ctx.getDn());
        }
        if (ctx.getDn().equals(self)) {
            // Lookups are internal (searches answer clients): the password handler checks an old password against its own entry.
            return entry;
        }
        Entry copy = entry.clone();
        strip(copy, hideFor(own, ctx.getDn()));
        return copy;
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext ctx) throws LdapException {
        List<Grant> own = grantsOf(ctx);
        Dn base = ctx.getDn();
        boolean rootDse = base.isRootDse() && ctx.getScope() == SearchScope.OBJECT;
        if (own == null || rootDse) {
            return next(ctx);
        }
        if (ctx.getSession().isAnonymous()) {
            throw refuse(ctx, "search below", base);
        }
        if (base.equals(subschemaSubentry) && ctx.getScope() == SearchScope.OBJECT) {
            return next(ctx);
        }
        Set<String> hideAnywhere = own.stream().flatMap(g -> g.hide().stream()).collect(Collectors.toSet());
        AttributeType hiddenInFilter = hiddenIn(ctx.getFilter(), hideAnywhere);
        if (hiddenInFilter != null) {
            throw refuse(ctx, "search by " + hiddenInFilter.getName() + " below", base);
        }
        EntryFilteringCursor cursor = next(ctx);
        cursor.addEntryFilter(new Visible(own, principal(ctx.getSession())));
        return cursor;
    }

    /** Leaves out what the account may not read, and removes hidden attributes from what it may. */
    private final class Visible implements EntryFilter {
        private final List<Grant> own;
        private final Dn self;

        Visible(List<Grant> own, Dn self) {
            this.own = own;
            this.self = self;
        }

        @Override
        public boolean accept(SearchOperationContext ctx, Entry entry) throws LdapException {
            Dn dn = entry.getDn().isSchemaAware() ? entry.getDn() : new Dn(schemaManager, entry.getDn());
            if (!readable(own, self, dn)) {
                return false;
            }
            strip(entry, hideFor(own, dn));
            return true;
        }

        @Override
        public String toString(String tabs) {
            return tabs + "grouprelay access rules";
        }
    }

    /** Whether an account with {@code own} grants, bound as {@code self}, may read {@code dn}. */
    private static boolean readable(List<Grant> own, Dn self, Dn dn) {
        for (Grant grant : own) {
            if (grant.covers(dn)) {
                return true;
            }
        }
        return !self.isEmpty() && dn.equals(self);
    }

    private boolean readable(OperationContext ctx, List<Grant> own, Dn dn) {
        return readable(own, ctx.getSession().isAnonymous() ? Dn.EMPTY_DN : principal(ctx.getSession()), dn);
    }

    /** The attributes hidden in {@code dn}: the covering rules' lists, and {@code userPassword} always. */
    private static Set<String> hideFor(List<Grant> own, Dn dn) {
        Set<String> hide = Set.of();
        boolean shared = true; // one covering rule's own set is used as it is: no copy per returned entry
        for (Grant grant : own) {
            if (grant.covers(dn) && !hide.containsAll(grant.hide())) {
                if (hide.isEmpty()) {
                    hide = grant.hide();
                } else {
                    if (shared) {
                        hide = new java.util.HashSet<>(hide);
                        shared = false;
                    }
                    hide.addAll(grant.hide());
                }
            }
        }
        return hide;
    }

    private static boolean hidden(Set<String> hide, AttributeType type) {
        return type != null && (type.getName() != null && type.getName().equalsIgnoreCase(PASSWORD) || names(hide, type));
    }

    private static void strip(Entry entry, Set<String> hide) {
        List<AttributeType> gone = new ArrayList<>();
        for (Attribute attribute : entry) {
            if (hidden(hide, attribute.getAttributeType())) {
                gone.add(attribute.getAttributeType());
            }
        }
        for (AttributeType type : gone) {
            entry.removeAttributes(type);
        }
    }

    /** The first attribute in {@code filter} that is hidden, or {@code null}. */
    private static AttributeType hiddenIn(ExprNode filter, Set<String> hide) {
        if (filter instanceof BranchNode branch) {
            for (ExprNode child : branch.getChildren()) {
                AttributeType found = hiddenIn(child, hide);
                if (found != null) {
                    return found;
                }
            }
        } else if (filter instanceof LeafNode leaf && hidden(hide, leaf.getAttributeType())) {
            return leaf.getAttributeType();
        }
        return null;
    }
}
