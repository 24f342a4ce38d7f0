package org.grouprelay.targets.mas;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupRef;
import org.grouprelay.config.MasConfig;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * Membership of the one group switches accounts on and off, by the table:
 *
 * <pre>
 * in the group | account             | action
 * yes          | active              | none
 * yes          | deactivated/locked  | reactivate (if deactivated), then unlock (if locked): reactivate leaves the lock
 * yes          | none                | pending (the account appears at the first SSO login; then activated)
 * no           | active              | deactivate with {"skip_erase": true}, or lock (offboard)
 * no           | deactivated/locked  | none
 * </pre>
 *
 * Deactivation always sends {@code skip_erase: true}: MAS erases the user on the homeserver when it is missing or false
 * (crates/handlers/src/admin/v1/users/deactivate.rs). Accounts are never deleted. MAS has no transactions: every call takes
 * effect at once (relay mode only).
 */
final class MasSession implements Target.Session {
    private final MasHttp http;
    private final MasAccounts accounts;
    private final MasTarget target;
    private final MasConfig config;

    MasSession(MasHttp http, MasAccounts accounts, MasTarget target, MasConfig config) {
        this.http = http;
        this.accounts = accounts;
        this.target = target;
        this.config = config;
    }

    @Override
    public Optional<String> linkedGroup(GroupRef group) {
        return Optional.of(config.group());
    }

    @Override
    public Target.GroupLink ensureGroup(GroupRef group) {
        return new Target.GroupLink(config.group(), Target.GroupLink.How.EXISTING);
    }

    @Override
    public void renameGroup(String groupId, GroupRef group) {
        // MAS has no groups: nothing to rename
    }

    /** The group is gone, so nobody is in it: every active account of a directory user is switched off (MAS's own stay). */
    @Override
    public void deleteGroup(GroupRef group) throws TargetException {
        removeMembers(config.group(), target.activeDirectoryAccounts());
    }

    /** Active accounts of directory users (MAS's own accounts, bots and admins, are not the group's). */
    @Override
    public Set<String> members(String groupId) throws TargetException {
        return target.activeDirectoryAccounts();
    }

    @Override
    public void addMembers(String groupId, Collection<String> usernames) throws TargetException {
        for (String username : new LinkedHashSet<>(usernames)) {
            Optional<MasAccounts.Account> account = accounts.current(username);
            if (account.isEmpty()) {
                continue; // gone since the lookup: it is pending again at the next change or check
            }
            if (account.get().deactivated()) {
                call(account.get(), "reactivate", null);
            }
            // reactivate leaves a lock in place (reactivate.rs), and MAS versions before 0.13 locked on deactivation: always unlock
            if (account.get().locked() || account.get().deactivated()) {
                call(account.get(), "unlock", null);
            }
        }
    }

    @Override
    public Target.RemoveResult removeMembers(String groupId, Collection<String> usernames) throws TargetException {
        for (String username : new LinkedHashSet<>(usernames)) {
            Optional<MasAccounts.Account> account = accounts.current(username);
            if (account.isEmpty() || account.get().locked() || account.get().deactivated()) {
                continue; // no account, or already off: nothing to do
            }
            if (config.offboard() == MasConfig.Offboard.LOCK) {
                call(account.get(), "lock", null);
            } else {
                call(account.get(), "deactivate", http.json().createObjectNode().put("skip_erase", true));
            }
        }
        return new Target.RemoveResult(List.of());
    }

    private void call(MasAccounts.Account account, String action, com.fasterxml.jackson.databind.JsonNode body) throws TargetException {
        String what = action + " the Matrix account " + account.username();
        JsonHttp.Answer answer = http.post("users/" + account.id() + "/" + action, body, what);
        if (answer.status() == 404) {
            return; // the account is gone (deleted in MAS meanwhile): nothing left to switch
        }
        if (!answer.ok()) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + MasHttp.message(answer), false, null);
        }
    }

    @Override
    public void commit() {
    }

    @Override
    public void rollback() {
    }

    @Override
    public void close() {
    }
}
