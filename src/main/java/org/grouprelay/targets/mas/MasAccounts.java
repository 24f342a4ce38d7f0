package org.grouprelay.targets.mas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.grouprelay.change.UserRef;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * Directory users as MAS accounts: the {@code localpart} attribute is the MAS username, and the target's user id. An account
 * exists once the user first logged in through SSO; until then the member is pending. What a lookup read is kept for the
 * session that acts right after it, so a change costs one read per user.
 */
final class MasAccounts implements Accounts {
    /** One account as MAS answered: its ULID and whether it is locked or deactivated. */
    record Account(String id, String username, boolean locked, boolean deactivated) {
        static Account of(JsonNode data) {
            JsonNode attributes = data.path("attributes");
            return new Account(data.path("id").asText(), attributes.path("username").asText(), !attributes.path("locked_at").isNull()
                    && !attributes.path("locked_at").isMissingNode(), !attributes.path("deactivated_at").isNull()
                    && !attributes.path("deactivated_at").isMissingNode());
        }
    }

    private final MasHttp http;
    private final String localpart;
    private record Read(Account account, long nanos) {
    }

    /** How long a lookup's answer may stand in for a fresh read: the apply that follows it, not a later one. */
    private static final long FRESH_NANOS = 2_000_000_000L;

    /** Read by the latest lookup, taken by the session that acts on it. */
    private final Map<String, Read> justRead = new ConcurrentHashMap<>();

    MasAccounts(MasHttp http, String localpart) {
        this.http = http;
        this.localpart = localpart;
    }

    @Override
    public Map<UserRef, String> find(List<UserRef> users) throws TargetException {
        Map<UserRef, String> found = new LinkedHashMap<>();
        for (UserRef user : users) {
            Optional<String> username = idOf(user);
            if (username.isPresent() && read(username.get()).isPresent()) {
                found.put(user, username.get());
            }
        }
        return found;
    }

    /** {@code GET /users/by-username/{username}}: the account, or empty (404: it does not exist yet). */
    Optional<Account> read(String username) throws TargetException {
        String what = "find the Matrix account " + username;
        JsonHttp.Answer answer = http.get("users/by-username/" + username, Map.of(), what);
        if (answer.status() == 404) {
            justRead.remove(username);
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + MasHttp.message(answer), false, null);
        }
        Account account = Account.of(answer.body().path("data"));
        justRead.put(username, new Read(account, System.nanoTime()));
        return Optional.of(account);
    }

    /** The account a lookup just read, or a fresh read. */
    Optional<Account> current(String username) throws TargetException {
        Read read = justRead.remove(username);
        return read != null && System.nanoTime() - read.nanos() < FRESH_NANOS ? Optional.of(read.account()) : read(username);
    }

    @Override
    public Optional<String> idOf(UserRef user) {
        return user.attribute(localpart).map(v -> v.toLowerCase(Locale.ROOT));
    }

    /** MAS offers no cheap marker of new accounts: a new value each time, so pending users (only they) are looked up every 2 s. */
    @Override
    public long watermark() {
        return System.nanoTime();
    }

    @Override
    public String describe() {
        return "MAS username = directory " + localpart;
    }

    @Override
    public List<String> attributes() {
        return List.of(localpart);
    }
}
