package org.grouprelay.capture;

import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapInvalidAttributeValueException;

/**
 * The spelling under which an attribute stores a value equal to a given one (say {@code UID=Bob,...}
 * when a request deletes {@code uid=bob,...}), found in constant time. ApacheDS's attribute is a hash
 * set of values without a way to fetch the stored element, so the lookup goes through a probe value
 * that remembers what {@code contains} compared it with: the set calls the probe's {@code equals}
 * with its own element. Where it does not (another attribute implementation), the given spelling is
 * used.
 */
final class StoredValue {
    private StoredValue() {
    }

    static String spelling(Attribute stored, Value wanted) {
        if (stored == null || stored.getAttributeType() == null || !wanted.isHumanReadable()) {
            return wanted.getString();
        }
        try {
            Probe probe = new Probe(stored, wanted);
            return stored.contains(probe) && probe.found != null ? probe.found.getString() : wanted.getString();
        } catch (LdapInvalidAttributeValueException | RuntimeException e) {
            return wanted.getString();
        }
    }

    /** Equal to the values equal to {@code wanted}; keeps the stored one it was compared with. */
    private static final class Probe extends Value {
        private static final long serialVersionUID = 1L;
        private transient Value found;

        Probe(Attribute stored, Value wanted) throws LdapInvalidAttributeValueException {
            super(stored.getAttributeType(), wanted.getString(), stored.getAttributeType().equals(wanted.getAttributeType())
                    ? wanted.getNormalized() : new Value(stored.getAttributeType(), wanted.getString()).getNormalized());
        }

        @Override
        public boolean equals(Object other) {
            boolean equal = super.equals(other);
            if (equal && other instanceof Value value && value != this) {
                found = value;
            }
            return equal;
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}
