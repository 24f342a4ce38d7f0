package org.grouprelay.capture;

import java.util.List;
import java.util.Optional;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.membership.GroupMembers;

/** The directory's groups as a graph, as it is before the operation being captured. */
interface GroupGraph {
    /** A managed group that lists a value: normalized DN, DN as stored, entryUUID. */
    record Link(String norm, String dn, String uuid) {
    }

    /** The managed group at {@code norm} (a normalized DN) with its member values, if there is one. */
    Optional<GroupMembers> group(String norm, String dn) throws LdapException;

    /** The managed groups that list {@code norm} as a member value, without reading their other members. */
    List<Link> listing(String norm) throws LdapException;
}
