package org.grouprelay.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.naming.ldap.LdapName;
import org.grouprelay.config.AccessConfig.Engine;
import org.grouprelay.config.AccessConfig.Right;
import org.grouprelay.config.AccessConfig.Rule;

/** Checks the {@code directory.access} section and turns it into {@link AccessConfig}. */
final class AccessValidator {
    /** An attribute type's name (RFC 4512 descr) or numeric OID. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+");

    private final Section section;
    private final LdapName suffix;

    AccessValidator(Section section, LdapName suffix) {
        this.section = section;
        this.suffix = suffix;
    }

    AccessConfig validate(ConfigFile.Access raw, String peopleDn, String groupsDn) {
        if (raw == null) {
            return AccessConfig.shipped(suffix.toString(), peopleDn, groupsDn);
        }
        Engine engine = section.choice("engine", raw.engine(), Engine.class, "grouprelay");
        if (engine == Engine.APACHEDS) {
            if (raw.rules() != null) {
                throw section.error("rules", "is not used with engine apacheds, which reads the prescriptiveACI subentries in the "
                        + "directory; remove it, or use engine grouprelay");
            }
            return new AccessConfig(engine, List.of());
        }
        if (raw.rules() == null) {
            return AccessConfig.shipped(suffix.toString(), peopleDn, groupsDn);
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < raw.rules().size(); i++) {
            rules.add(rule(section.item("rules", i), raw.rules().get(i)));
        }
        return new AccessConfig(engine, rules);
    }

    private Rule rule(Section item, ConfigFile.AccessRule raw) {
        if (raw == null) {
            throw item.error("accounts", "missing; a rule needs accounts, subtree and access");
        }
        List<String> accounts = item.strings("accounts", raw.accounts());
        if (accounts.isEmpty()) {
            throw item.missing("accounts");
        }
        for (String account : accounts) {
            DirectoryValidator.dn(item, "accounts", account);
        }
        LdapName subtree = DirectoryValidator.dn(item, "subtree", item.string("subtree", raw.subtree()));
        if (!DirectoryValidator.within(subtree, suffix)) {
            throw item.error("subtree", "'" + subtree + "' is not directory.suffix '" + suffix + "' or below it; write it like ou=people,"
                    + suffix);
        }
        Right right = item.choice("access", item.required("access", raw.access()), Right.class, "read");
        Set<String> hide = attributes(item, "hide", raw.hide());
        hide.add(AccessConfig.PASSWORD);
        return new Rule(accounts, subtree.toString(), right, hide, attributes(item, "readOnly", raw.readOnly()));
    }

    private static Set<String> attributes(Section item, String key, List<String> raw) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : item.strings(key, raw)) {
            if (!ATTRIBUTE.matcher(name).matches()) {
                throw item.error(key, "'" + name + "' is not an attribute type name; write names like userPassword or mail");
            }
            names.add(name);
        }
        return names;
    }
}
