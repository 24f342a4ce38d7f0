package org.grouprelay.directory;

import java.io.IOException;
import java.util.List;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.ldif.LdifEntry;
import org.apache.directory.api.ldap.model.ldif.LdifReader;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grouprelay's own schema ({@code cn=grouprelay,ou=schema}): the auxiliary class {@code grouprelayExpiringGroup} for
 * groupOfNames entries and its attributes for memberships that expire. OIDs lie under the UUID arc
 * {@code 2.25.197891264395606887268545624803043221011} ({@code .1.x} attribute types, {@code .2.x} object classes).
 * The entries live in the LDIF schema partition under {@code dataDir}, so they survive restarts; a directory created
 * by an older release gets them at its next start.
 */
public final class GrouprelaySchema {
    private static final Logger log = LoggerFactory.getLogger(GrouprelaySchema.class);
    public static final String ARC = "2.25.197891264395606887268545624803043221011";
    public static final String EXPIRING_GROUP = "grouprelayExpiringGroup";
    public static final String MEMBERSHIP_DAYS = "grouprelayMembershipDays";
    public static final String MEMBER_EXPIRY = "grouprelayMemberExpiry";
    public static final String NOTIFY_DAYS = "grouprelayNotifyDays";
    private static final String SCHEMA_DN = "cn=grouprelay,ou=schema";

    private GrouprelaySchema() {
    }

    /** Adds the schema unless the directory has it already; call after the service started, before anything uses it. */
    static void install(DirectoryService service) throws LdapException, IOException {
        CoreSession admin = service.getAdminSession();
        if (admin.exists(new Dn(service.getSchemaManager(), SCHEMA_DN))) {
            return;
        }
        for (LdifEntry entry : entries()) {
            admin.add(new DefaultEntry(service.getSchemaManager(), entry.getEntry()));
        }
        log.info("added grouprelay's schema ({} with {}, {} and {})", EXPIRING_GROUP, MEMBERSHIP_DAYS, MEMBER_EXPIRY, NOTIFY_DAYS);
    }

    private static List<LdifEntry> entries() throws LdapException, IOException {
        try (LdifReader reader = new LdifReader()) {
            return reader.parseLdif(ldif());
        }
    }

    private static String ldif() {
        return """
                dn: cn=grouprelay,ou=schema
                objectClass: top
                objectClass: metaSchema
                cn: grouprelay
                m-dependencies: system
                m-dependencies: core

                dn: ou=attributeTypes,cn=grouprelay,ou=schema
                objectClass: top
                objectClass: organizationalUnit
                ou: attributeTypes

                dn: ou=objectClasses,cn=grouprelay,ou=schema
                objectClass: top
                objectClass: organizationalUnit
                ou: objectClasses

                """
                + attributeType(1, MEMBERSHIP_DAYS, "lifetime in days of a membership that starts in this group from now on",
                        "integerMatch", "1.3.6.1.4.1.1466.115.121.1.27", true)
                + attributeType(2, MEMBER_EXPIRY, "when a member's membership ends: '<GeneralizedTime> <member DN>', one per member",
                        "caseIgnoreMatch", "1.3.6.1.4.1.1466.115.121.1.15", false)
                + attributeType(3, NOTIFY_DAYS, "days before a membership ends that the member is told (default expiry.notifyDays)",
                        "integerMatch", "1.3.6.1.4.1.1466.115.121.1.27", true)
                + """
                dn: m-oid=%1$s.2.1,ou=objectClasses,cn=grouprelay,ou=schema
                objectClass: top
                objectClass: metaTop
                objectClass: metaObjectClass
                m-oid: %1$s.2.1
                m-name: %2$s
                m-description: a groupOfNames whose memberships expire
                m-supObjectClass: top
                m-typeObjectClass: AUXILIARY
                m-may: %3$s
                m-may: %4$s
                m-may: %5$s

                """.formatted(ARC, EXPIRING_GROUP, MEMBERSHIP_DAYS, MEMBER_EXPIRY, NOTIFY_DAYS);
    }

    private static String attributeType(int n, String name, String description, String equality, String syntax, boolean single) {
        String ordering = "integerMatch".equals(equality) ? "m-ordering: integerOrderingMatch\n"
                : "m-substr: caseIgnoreSubstringsMatch\n";
        return """
                dn: m-oid=%1$s.1.%2$d,ou=attributeTypes,cn=grouprelay,ou=schema
                objectClass: top
                objectClass: metaTop
                objectClass: metaAttributeType
                m-oid: %1$s.1.%2$d
                m-name: %3$s
                m-description: %4$s
                m-equality: %5$s
                %6$sm-syntax: %7$s
                m-singleValue: %8$s

                """.formatted(ARC, n, name, description, equality, ordering, syntax, single ? "TRUE" : "FALSE");
    }
}
