package org.grouprelay.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.grouprelay.membership.Scope;

/** {@code member} values as a modify changes them, and the refint rewrite of one value. */
final class MemberEdits {
    private MemberEdits() {
    }

    /** The member values after {@code mods}: ADD and DELETE as deltas, REPLACE as the new full list. */
    static Map<String, String> apply(Map<String, String> before, List<Modification> mods, Scope scope) throws LdapException {
        Map<String, String> after = new LinkedHashMap<>(before);
        for (Modification mod : mods) {
            Attribute attribute = mod.getAttribute();
            if (!scope.memberType().equals(attribute.getAttributeType()) && !"member".equalsIgnoreCase(attribute.getUpId())) {
                continue;
            }
            switch (mod.getOperation()) {
                case ADD_ATTRIBUTE -> put(after, attribute, scope);
                case REPLACE_ATTRIBUTE -> {
                    after.clear();
                    put(after, attribute, scope);
                }
                case REMOVE_ATTRIBUTE -> {
                    if (attribute.size() == 0) {
                        after.clear();
                    }
                    for (Value value : attribute) {
                        after.remove(scope.norm(value.getString()));
                    }
                }
                default -> throw new IllegalStateException("modification " + mod.getOperation());
            }
        }
        return after;
    }

    private static void put(Map<String, String> members, Attribute attribute, Scope scope) throws LdapException {
        for (Value value : attribute) {
            members.put(scope.norm(value.getString()), value.getString());
        }
    }

    /**
     * Removes {@code oldDn} from {@code group} and adds {@code newDn} if given. A group that would be
     * left without any value keeps the placeholder, since groupOfNames needs one.
     */
    static Modification[] rewrite(Entry group, Dn oldDn, Dn newDn, Scope scope) throws LdapException {
        List<Modification> mods = new ArrayList<>();
        mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE,
                new DefaultAttribute(scope.memberType(), oldDn.getName())));
        Attribute member = group.get(scope.memberType());
        if (newDn != null) {
            mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE,
                    new DefaultAttribute(scope.memberType(), newDn.getName())));
        } else if (member == null || member.size() <= 1) {
            mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE,
                    new DefaultAttribute(scope.memberType(), scope.placeholderValue())));
        }
        return mods.toArray(Modification[]::new);
    }
}
