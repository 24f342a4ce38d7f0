package org.grouprelay.testing;

import org.grouprelay.config.RelayMode;
import java.time.Duration;
import java.util.List;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;

/**
 * How a {@link TestDirectory} relays to Seafile, as named options: start from {@link #relayMode()} or
 * {@link #strictMode()} (nested groups flattened, no adoption, the {@code email} rule on {@code mail}, a 2 s
 * deadline) and change what a test needs, e.g. {@code Relaying.strictMode().deadline(Duration.ofSeconds(1))}.
 */
public record Relaying(RelayMode mode, NestedPolicy nested, boolean adopt, List<MappingRule> users, Duration deadline) {
    /** The {@code email} strategy on the {@code mail} attribute. */
    public static final List<MappingRule> EMAIL = List.of(new MappingRule(Strategy.EMAIL, null, "mail"));

    public Relaying {
        users = List.copyOf(users);
    }

    public static Relaying relayMode() {
        return new Relaying(RelayMode.RELAY, NestedPolicy.FLATTEN, false, EMAIL, Duration.ofSeconds(2));
    }

    public static Relaying strictMode() {
        return relayMode().mode(RelayMode.STRICT);
    }

    public Relaying mode(RelayMode value) {
        return new Relaying(value, nested, adopt, users, deadline);
    }

    public Relaying nested(NestedPolicy value) {
        return new Relaying(mode, value, adopt, users, deadline);
    }

    /** Whether an existing Seafile group of the same name is linked instead of creating another ({@code seafile.adopt}). */
    public Relaying adopt(boolean value) {
        return new Relaying(mode, nested, value, users, deadline);
    }

    /** The user mapping chain, tried in order. */
    public Relaying users(MappingRule... chain) {
        return new Relaying(mode, nested, adopt, List.of(chain), deadline);
    }

    public Relaying users(List<MappingRule> chain) {
        return new Relaying(mode, nested, adopt, chain, deadline);
    }

    /** How long an LDAP reply may wait for Seafile. */
    public Relaying deadline(Duration value) {
        return new Relaying(mode, nested, adopt, users, value);
    }
}
