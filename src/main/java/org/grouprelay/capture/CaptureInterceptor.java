package org.grouprelay.capture;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOtherException;
import org.apache.directory.api.ldap.model.exception.LdapServiceUnavailableException;
import org.apache.directory.api.ldap.model.exception.LdapUnwillingToPerformException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.DeleteOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveAndRenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveOperationContext;
import org.apache.directory.server.core.api.interceptor.context.OperationContext;
import org.apache.directory.server.core.api.interceptor.context.RenameOperationContext;
import org.apache.directory.server.core.api.partition.PartitionTxn;
import org.grouprelay.change.ChangeRefused;
import org.grouprelay.change.ChangeSet;
import org.grouprelay.change.ChangeSink;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.GroupReader;
import org.grouprelay.change.Origin;
import org.grouprelay.directory.CommitActions;
import org.grouprelay.directory.ExpiryInterceptor;
import org.grouprelay.directory.HeldReplies;
import org.grouprelay.membership.GroupMembers;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns directory writes under groupsDn and peopleDn into {@link GroupChange}s. Changes are computed
 * before the operation reaches the partition and handed to the sink as an intent (which strict mode
 * may refuse); once the partition committed, the sink learns it and the LDAP reply is held until
 * the sink says the targets have the change, after the write lock is released. Referential integrity
 * (member values of deleted or renamed entries) is
 * kept the way OpenLDAP's refint overlay does it.
 */
public final class CaptureInterceptor extends BaseInterceptor {
    private static final Logger log = LoggerFactory.getLogger(CaptureInterceptor.class);

    private final MembershipRules settings;
    private final ChangeSink sink;
    private final HeldReplies replies;
    /** Set while this interceptor rewrites member values itself: those writes are not captured again. */
    private final ThreadLocal<Boolean> internalWrite = ThreadLocal.withInitial(() -> false);
    private UserCache users;
    private final GroupIds groupIds = new GroupIds();
    private AttributeType objectClass;
    private Scope scope;

    public CaptureInterceptor(MembershipRules settings, ChangeSink sink, HeldReplies replies) {
        super("grouprelayCaptureInterceptor");
        this.settings = settings;
        this.sink = sink;
        this.replies = replies;
    }

    @Override
    public void init(DirectoryService directoryService) throws LdapException {
        super.init(directoryService);
        scope = new Scope(directoryService.getSchemaManager(), settings.peopleDn(), settings.groupsDn(), settings.placeholder());
        users = new UserCache(scope.peopleDn());
        objectClass = directoryService.getSchemaManager().getAttributeType(SchemaConstants.OBJECT_CLASS_AT);
    }

    /** Reads managed groups from this directory as they are now; valid once the directory started. */
    public GroupReader groupReader() {
        return new LiveGroupReader(directoryService, scope, settings);
    }

    @Override
    public void add(AddOperationContext ctx) throws LdapException {
        users.around(ctx.getDn(), null, () -> addCaptured(ctx));
    }

    private void addCaptured(AddOperationContext ctx) throws LdapException {
        Entry entry = ctx.getEntry();
        if (internalWrite.get() || !scope.isGroup(ctx.getDn(), entry)) {
            next(ctx);
            return;
        }
        if (!entry.containsAttribute(SchemaConstants.ENTRY_UUID_AT)) {
            // the operational-attribute interceptor ahead of this one sets it; without it there is no link key
            throw new LdapOtherException("grouprelay: new group " + ctx.getDn() + " has no entryUUID; the interceptor order is wrong");
        }
        OperationChanges changes = changes(ctx, "add");
        GroupMembers created = changes.view.group(entry);
        changes.add(new GroupChange.GroupCreated(created.ref()));
        changes.membership(scope.norm(ctx.getDn().getName()), created.ref().dn(), Optional.empty(), Optional.of(created));
        run(ctx, changes, () -> next(ctx), () -> { });
    }

    @Override
    public void modify(ModifyOperationContext ctx) throws LdapException {
        boolean classes = changes(ctx.getModItems(), objectClass);
        if (classes) {
            groupIds.clear();
        }
        try {
            users.around(ctx.getDn(), null, () -> modifyCaptured(ctx));
        } finally {
            if (classes) {
                groupIds.clear();
            }
        }
    }

    /** Whether {@code mods} name {@code type} (by its schema type, or by a name of it before the schema was applied). */
    private static boolean changes(List<Modification> mods, AttributeType type) {
        return mods.stream().anyMatch(m -> type.equals(m.getAttribute().getAttributeType())
                || type.getNames().stream().anyMatch(name -> name.equalsIgnoreCase(m.getAttribute().getUpId())));
    }

    private void modifyCaptured(ModifyOperationContext ctx) throws LdapException {
        Entry before = ctx.getEntry();
        if (internalWrite.get() || !scope.isGroup(ctx.getDn(), before) || !changes(ctx.getModItems(), scope.memberType())) {
            next(ctx);
            return;
        }
        OperationChanges changes = changes(ctx, "modify");
        changes.memberEdit(scope.norm(ctx.getDn().getName()), before, ctx.getModItems());
        run(ctx, changes, () -> next(ctx), () -> { });
    }

    @Override
    public void delete(DeleteOperationContext ctx) throws LdapException {
        groupIds.clear(); // an import may add an entry with the deleted one's entryUUID
        users.around(ctx.getDn(), null, () -> deleteCaptured(ctx));
    }

    private void deleteCaptured(DeleteOperationContext ctx) throws LdapException {
        Entry entry = ctx.getEntry() != null ? ctx.getEntry() : ctx.getOriginalEntry();
        Dn dn = ctx.getDn();
        if (internalWrite.get() || entry == null || !(scope.isUser(dn) || scope.isGroup(dn, entry))) {
            next(ctx);
            return;
        }
        OperationChanges changes = changes(ctx, "delete");
        List<Entry> parents = changes.membership.directParents(dn.getName());
        if (scope.isGroup(dn, entry)) {
            GroupMembers gone = changes.view.group(entry);
            changes.add(new GroupChange.GroupDeleted(gone.ref()));
            changes.membership(scope.norm(dn.getName()), gone.ref().dn(), Optional.of(gone), Optional.empty());
        } else {
            var user = changes.view.userRef(entry);
            for (GroupMembers group : changes.membership.ancestors(dn.getName(), true)) {
                changes.add(new GroupChange.UserDeleted(group.ref(), user));
            }
        }
        run(ctx, changes, () -> next(ctx), () -> rewriteMembers(parents, dn, null));
    }

    @Override
    public void rename(RenameOperationContext ctx) throws LdapException {
        modDn(ctx, ctx.getDn(), ctx.getNewDn(), ctx.getEntry() != null ? ctx.getEntry() : ctx.getOriginalEntry(), () -> next(ctx));
    }

    @Override
    public void move(MoveOperationContext ctx) throws LdapException {
        modDn(ctx, ctx.getDn(), ctx.getNewDn(), ctx.getOriginalEntry(), () -> next(ctx));
    }

    @Override
    public void moveAndRename(MoveAndRenameOperationContext ctx) throws LdapException {
        modDn(ctx, ctx.getDn(), ctx.getNewDn(), ctx.getOriginalEntry(), () -> next(ctx));
    }

    /** Rename and move: memberships follow the entry, in the directory and in Seafile. */
    private void modDn(OperationContext ctx, Dn oldDn, Dn newDn, Entry entry, LdapCall next) throws LdapException {
        users.around(oldDn, newDn, () -> modDnCaptured(ctx, oldDn, newDn, entry, next));
    }

    private void modDnCaptured(OperationContext ctx, Dn oldDn, Dn newDn, Entry entry, LdapCall next) throws LdapException {
        if (internalWrite.get()) {
            next.call();
            return;
        }
        OperationChanges changes = changes(ctx, "modrdn");
        if (entry == null) {
            entry = directoryService.getAdminSession().lookup(oldDn, "*", SchemaConstants.ENTRY_UUID_AT);
        }
        boolean wasGroup = scope.isGroup(oldDn, entry);
        boolean wasUser = scope.isUser(oldDn);
        if (!wasGroup && !wasUser) {
            next.call();
            return;
        }
        List<Entry> parents = changes.membership.directParents(oldDn.getName());
        if (wasGroup) {
            GroupMembers old = changes.view.group(entry);
            Dn movedDn = newDn;
            boolean staysManaged = newDn.isDescendantOf(scope.groupsDn());
            if (staysManaged) {
                String newName = DirectoryView.groupName(newDn, null);
                changes.add(new GroupChange.GroupRenamed(
                        new org.grouprelay.change.GroupRef(old.ref().uuid(), movedDn.getName(), newName), old.ref().name()));
            } else {
                changes.add(new GroupChange.GroupDeleted(old.ref()));
                changes.membership(scope.norm(oldDn.getName()), old.ref().dn(), Optional.of(old), Optional.empty());
            }
        } else {
            var before = changes.view.userRef(entry);
            boolean staysUser = scope.isUser(newDn);
            var after = new org.grouprelay.change.UserRef(newDn.getName(), renamedAttributes(before.attributes(), newDn));
            for (GroupMembers group : changes.membership.ancestors(oldDn.getName(), true)) {
                changes.add(staysUser ? new GroupChange.UserRenamed(group.ref(), before, after)
                        : new GroupChange.UserDeleted(group.ref(), before));
            }
        }
        run(ctx, changes, next, () -> rewriteMembers(parents, oldDn, newDn));
    }

    private static Map<String, String> renamedAttributes(Map<String, String> attributes, Dn newDn) {
        Map<String, String> renamed = new java.util.HashMap<>(attributes);
        String type = newDn.getRdn().getType().toLowerCase(java.util.Locale.ROOT);
        if (renamed.containsKey(type)) {
            renamed.put(type, newDn.getRdn().getValue());
        }
        return renamed;
    }

    /**
     * Prepare (records the intent; may refuse), let the directory apply the operation and commit it,
     * then refint, and hand over: the reply waits for the targets, the write lock does not. The hand-over
     * runs right after ApacheDS's own commit of the operation ({@link CommitActions}), still under the
     * write lock; a transaction of another kind is committed here first.
     */
    private void run(OperationContext ctx, OperationChanges changes, LdapCall next, Runnable afterCommit) throws LdapException {
        ChangeSet set = changes.toChangeSet();
        ChangeSink.Intent intent = set.isEmpty() ? null : prepare(set);
        Runnable aborted = () -> {
            if (intent != null) {
                intent.aborted(); // an intent left open would hold its groups' queues
            }
        };
        try {
            next.call();
            if (intent != null) {
                intent.awaitDurable(); // write-ahead: the intent is on disk before the directory's change
            }
        } catch (LdapException | RuntimeException | Error e) {
            aborted.run();
            throw e;
        }
        Runnable committed = () -> {
            afterCommit.run();
            if (intent != null) {
                try {
                    replies.hold(ctx.getSession(), intent.committed());
                } catch (RuntimeException e) {
                    log.error("relay failed after the directory committed {} {}: {}", set.origin().operation(), set.origin().dn(), e.toString(), e);
                }
            }
        };
        if (ctx.getTransaction() instanceof CommitActions txn && !sessionTransaction(ctx)) {
            txn.afterCommit(committed, aborted);
            return;
        }
        try {
            commitPartition(ctx);
        } catch (LdapException | RuntimeException | Error e) {
            aborted.run();
            throw e;
        }
        committed.run();
    }

    private static boolean sessionTransaction(OperationContext ctx) {
        return ctx.getSession() != null && ctx.getSession().hasSessionTransaction();
    }

    /** The sink's refusal as the LDAP result it deserves: 52 for "not now", 53 for "not at all". */
    private ChangeSink.Intent prepare(ChangeSet set) throws LdapException {
        try {
            return sink.prepare(set);
        } catch (ChangeRefused refused) {
            if (refused.reason() == ChangeRefused.Reason.UNAVAILABLE) {
                throw new LdapServiceUnavailableException(ResultCodeEnum.UNAVAILABLE, refused.getMessage());
            }
            throw new LdapUnwillingToPerformException(ResultCodeEnum.UNWILLING_TO_PERFORM, refused.getMessage());
        }
    }

    /**
     * Makes the partition write durable before anything is relayed, for a transaction that takes no
     * {@link CommitActions}. ApacheDS commits the partition only after the whole interceptor chain
     * returned; a commit that fails there (a value too long for JDBM's serialisation, a full disk) is
     * rolled back and refused, and Seafile would keep a change the directory does not have. Committing
     * here turns that failure into a refusal the relay sees.
     */
    private static void commitPartition(OperationContext ctx) throws LdapException {
        PartitionTxn txn = ctx.getTransaction();
        if (txn == null || txn.isClosed() || ctx.getSession() == null || sessionTransaction(ctx)) {
            return;
        }
        try {
            txn.commit();
        } catch (IOException | RuntimeException e) {
            try {
                txn.abort();
            } catch (IOException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw new LdapOtherException("the directory could not store the change: " + e.getMessage(), e);
        }
    }

    /** Refint: in every group that listed {@code oldDn}, remove it (or replace it by {@code newDn}). */
    private void rewriteMembers(List<Entry> groups, Dn oldDn, Dn newDn) {
        internalWrite.set(true);
        try {
            for (Entry group : groups) {
                try {
                    directoryService.getAdminSession().modify(group.getDn(), MemberEdits.rewrite(group, oldDn, newDn, scope));
                } catch (LdapException | RuntimeException e) {
                    log.error("could not rewrite member {} in {}: {}", oldDn, group.getDn(), e.getMessage());
                }
            }
        } finally {
            internalWrite.set(false);
        }
    }

    private OperationChanges changes(OperationContext ctx, String operation) {
        DirectoryView view = new DirectoryView(directoryService.getAdminSession(), scope, settings.userAttributes(), Optional.of(users), groupIds);
        String bindDn = ctx.getSession() == null || ctx.getSession().getEffectivePrincipal() == null ? ""
                : ctx.getSession().getEffectivePrincipal().getName();
        // the directory marks a modify that removes memberships whose end passed (its own enforcement, check --repair)
        String reason = directoryService.getInterceptor(ExpiryInterceptor.NAME) instanceof ExpiryInterceptor expiry
                && expiry.endsMemberships(ctx) ? Origin.MEMBER_EXPIRED : null;
        return new OperationChanges(new Origin(operation, ctx.getDn().getName(), bindDn, reason), view,
                new Membership(view, scope, settings.nested()), scope, settings.nested());
    }

    @FunctionalInterface
    private interface LdapCall {
        void call() throws LdapException;
    }
}
