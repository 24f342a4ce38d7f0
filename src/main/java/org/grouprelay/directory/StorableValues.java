package org.grouprelay.directory;

import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapAdminLimitExceededException;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Ava;
import org.apache.directory.api.ldap.model.name.Rdn;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveAndRenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.RenameOperationContext;

/**
 * Refuses, before the partition is touched, a value the JDBM partition could not store: it writes each text value's
 * normalized form (and each RDN's name) with {@code DataOutput.writeUTF}, which stops at 65,535 bytes of modified
 * UTF-8. Left to the partition, such a write fails in JDBM's commit, after ApacheDS changed its B-trees in memory;
 * the rollback that follows restores JDBM's pages but not ApacheDS's B-tree objects, and the next write failed with
 * {@code ERR_554 double get for block 0} (every later one too, until a restart). Result 11, as the partition's failure
 * was answered before; {@link ClearResults} names the attribute.
 */
final class StorableValues extends BaseInterceptor {
    static final String NAME = "grouprelayStorableValues";
    /** What {@code writeUTF}, which the JDBM partition uses for every text value, takes. */
    static final int MAX_VALUE_BYTES = 65_535;
    static final String TOO_LONG = "a value is longer than the directory can store (" + MAX_VALUE_BYTES
            + " bytes of UTF-8 per value)";

    StorableValues() {
        super(NAME);
    }

    @Override
    public void add(AddOperationContext ctx) throws LdapException {
        for (Attribute attribute : ctx.getEntry()) {
            check(attribute);
        }
        check(ctx.getDn().getRdn());
        next(ctx);
    }

    @Override
    public void modify(ModifyOperationContext ctx) throws LdapException {
        for (Modification modification : ctx.getModItems()) {
            if (modification.getOperation() != ModificationOperation.REMOVE_ATTRIBUTE) {
                check(modification.getAttribute());
            }
        }
        next(ctx);
    }

    @Override
    public void rename(RenameOperationContext ctx) throws LdapException {
        check(ctx.getNewRdn());
        next(ctx);
    }

    @Override
    public void moveAndRename(MoveAndRenameOperationContext ctx) throws LdapException {
        check(ctx.getNewRdn());
        next(ctx);
    }

    private static void check(Attribute attribute) throws LdapAdminLimitExceededException {
        if (attribute == null || !attribute.isHumanReadable()) {
            return;
        }
        for (Value value : attribute) {
            String stored = value.getNormalized() != null ? value.getNormalized() : value.getString();
            if (tooLong(stored)) {
                throw new LdapAdminLimitExceededException(TOO_LONG);
            }
        }
    }

    private static void check(Rdn rdn) throws LdapAdminLimitExceededException {
        if (rdn == null) {
            return;
        }
        if (tooLong(rdn.getName())) { // the whole RDN as written, which holds each AVA's own name
            throw new LdapAdminLimitExceededException(TOO_LONG);
        }
        for (Ava ava : rdn) {
            Value value = ava.getValue();
            if (value != null && tooLong(value.getNormalized())) {
                throw new LdapAdminLimitExceededException(TOO_LONG);
            }
        }
    }

    /** Longer than {@code writeUTF} takes: its modified UTF-8 has 2 bytes for NUL and 3 for each half of a surrogate pair. */
    static boolean tooLong(String s) {
        if (s == null || s.length() <= MAX_VALUE_BYTES / 3) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        return bytes > MAX_VALUE_BYTES;
    }
}
