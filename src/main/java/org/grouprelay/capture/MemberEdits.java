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

    /**
     * What {@code mods} change in the member values of {@code before}, looking only at the values
     * they name: ADD and DELETE of k values cost O(k). REPLACE, and DELETE of the whole attribute,
     * compare with every value the group had (O(N), as they replace the whole list).
     */
    static MemberEdit net(Entry before, List<Modification> mods, Scope scope) throws LdapException {
        Attribute stored = before.get(scope.memberType());
        Map<String, Slot> slots = new LinkedHashMap<>();
        boolean cleared = false;
        for (Modification mod : mods) {
            Attribute attribute = mod.getAttribute();
            if (!scope.memberType().equals(attribute.getAttributeType()) && !"member".equalsIgnoreCase(attribute.getUpId())) {
                continue;
            }
            switch (mod.getOperation()) {
                case ADD_ATTRIBUTE -> mark(slots, attribute, true, scope);
                case REPLACE_ATTRIBUTE -> {
                    cleared = true;
                    slots.clear();
                    mark(slots, attribute, true, scope);
                }
                case REMOVE_ATTRIBUTE -> {
                    if (attribute.size() == 0) {
                        cleared = true;
                        slots.clear();
                    }
                    mark(slots, attribute, false, scope);
                }
                default -> throw new IllegalStateException("modification " + mod.getOperation());
            }
        }
        Map<String, String> added = new LinkedHashMap<>();
        Map<String, String> removed = new LinkedHashMap<>();
        if (cleared && stored != null) {
            for (Value value : stored) {
                Slot slot = slots.get(value.getNormalized());
                if (slot == null || !slot.present) {
                    removed.put(value.getNormalized(), value.getString());
                }
            }
        }
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Slot slot = entry.getValue();
            boolean was = stored != null && stored.contains(slot.value);
            if (slot.present && !was) {
                added.put(entry.getKey(), slot.value.getString());
            } else if (!slot.present && was && !cleared) {
                removed.put(entry.getKey(), StoredValue.spelling(stored, slot.value));
            }
        }
        return new MemberEdit(added, removed, stored == null ? 0 : stored.size());
    }

    /** A value's state after the modifications seen so far, and its latest spelling. */
    private static final class Slot {
        Value value;
        boolean present;

        Slot(Value value, boolean present) {
            this.value = value;
            this.present = present;
        }
    }

    /**
     * Marks the values of {@code attribute} present or absent. A value that (re)appears moves to the
     * end, one that stays present keeps its place and takes the new spelling, as in an ordered map
     * of the member list.
     */
    private static void mark(Map<String, Slot> slots, Attribute attribute, boolean present, Scope scope) throws LdapException {
        for (Value value : attribute) {
            String norm = scope.norm(value.getString());
            Slot slot = slots.get(norm);
            if (slot != null && (slot.present || !present)) {
                slot.present = present;
                if (present) {
                    slot.value = value;
                }
            } else {
                slots.remove(norm);
                slots.put(norm, new Slot(value, present));
            }
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
