package org.grouprelay.config;

import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/** Checks the {@code directory} section and turns it into {@link DirectoryConfig}. */
final class DirectoryValidator {
    private final Section section;

    DirectoryValidator(Section section) {
        this.section = section;
    }

    DirectoryConfig validate(ConfigFile.Directory raw) {
        LdapName suffix = dn("suffix", raw.suffix());
        Secret adminPassword = section.secret("adminPassword", raw.adminPassword());
        if (adminPassword.reveal().equals("secret")) {
            throw section.error("adminPassword", "'secret' is ApacheDS's well-known default; choose a real password");
        }
        Endpoint ldap = endpoint("ldap", section.required("ldap", raw.ldap()));
        Optional<Endpoint> ldaps = Optional.ofNullable(raw.ldaps()).map(l -> endpoint("ldaps", l));
        if (ldaps.isPresent() && ldaps.get().equals(ldap)) {
            throw section.error("ldaps.port", ldaps.get() + " is also directory.ldap; give LDAPS its own port");
        }
        Optional<TlsConfig> tls = Optional.ofNullable(raw.tls()).map(t -> {
            Section s = section.child("tls");
            return new TlsConfig(s.readableFile("keystore", t.keystore()), s.secret("password", t.password()));
        });
        LdapName peopleDn = below("peopleDn", raw.peopleDn(), suffix);
        LdapName groupsDn = below("groupsDn", raw.groupsDn(), suffix);
        if (peopleDn.equals(groupsDn)) {
            throw section.error("groupsDn", "must differ from directory.peopleDn");
        }
        boolean requireTls = section.bool("requireTls", raw.requireTls(), false);
        return new DirectoryConfig(suffix.toString(), section.path("dataDir", raw.dataDir()),
                section.readableFile("bootstrapLdif", raw.bootstrapLdif()), adminPassword, ldap, ldaps, tls, requireTls,
                peopleDn.toString(), groupsDn.toString(), new AccessValidator(section.child("access"), suffix)
                        .validate(raw.access(), peopleDn.toString(), groupsDn.toString()),
                section.optional("entryCacheSize", raw.entryCacheSize()).map(v -> section.number("entryCacheSize", v, 1, 1_000_000,
                        "is not a number of entries from 1 to 1000000")).orElse(DirectoryConfig.DEFAULT_ENTRY_CACHE));
    }

    private Endpoint endpoint(String key, ConfigFile.Listener raw) {
        Section s = section.child(key);
        return new Endpoint(s.string("host", raw.host()), s.port("port", raw.port()));
    }

    private LdapName dn(String key, String raw) {
        return dn(section, key, section.string(key, raw));
    }

    /** {@code value} (the expanded text of {@code section}'s {@code key}) as a non-empty DN. */
    static LdapName dn(Section section, String key, String value) {
        try {
            LdapName dn = new LdapName(value);
            if (!dn.isEmpty()) {
                return dn;
            }
        } catch (InvalidNameException | IllegalArgumentException e) {
            // reported below
        }
        throw section.error(key, "'" + value + "' is not a valid DN; write it like ou=people,dc=example,dc=org");
    }

    /** A DN strictly below the suffix; LdapName compares attribute types and values case-insensitively. */
    private LdapName below(String key, String raw, LdapName suffix) {
        LdapName dn = dn(key, raw);
        if (dn.size() <= suffix.size() || !within(dn, suffix)) {
            throw section.error(key, "'" + dn + "' is not below directory.suffix '" + suffix + "'; write it like ou=people," + suffix);
        }
        return dn;
    }

    /** Whether {@code dn} is {@code base} or below it. */
    static boolean within(LdapName dn, LdapName base) {
        return dn.size() >= base.size() && dn.startsWith(base.getRdns());
    }
}
