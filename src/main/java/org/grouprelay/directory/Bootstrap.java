package org.grouprelay.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.ldif.LdifEntry;
import org.apache.directory.api.ldap.model.ldif.LdifReader;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start loading of the bootstrap LDIF, and the admin password. The LDIF is parsed and
 * checked completely before the first entry is written; a marker file records that loading
 * finished, so a start that crashed half-way loads the rest (existing entries are skipped).
 */
final class Bootstrap {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    static final String MARKER = "bootstrap.done";
    private static final String ADMIN_DN = "uid=admin,ou=system";

    private final DirectoryConfig config;
    private final Environment env;

    Bootstrap(DirectoryConfig config, Environment env) {
        this.config = config;
        this.env = env;
    }

    /** Reads and checks the LDIF; call before starting anything so mistakes stop the start early. */
    List<LdifEntry> parse(SchemaManager schemaManager) {
        String where = "directory.bootstrapLdif (" + config.bootstrapLdif() + ")";
        String text;
        try {
            text = Files.readString(config.bootstrapLdif(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e.getMessage());
        }
        List<LdifEntry> entries;
        try (LdifReader reader = new LdifReader(schemaManager)) {
            entries = reader.parseLdif(expandOutsideComments(text, where));
        } catch (LdapException | IOException e) {
            throw new ConfigException(where + ": not valid LDIF: " + oneLine(e.getMessage()));
        }
        Dn suffix = dn(schemaManager, config.suffix());
        for (LdifEntry entry : entries) {
            if (!entry.isEntry()) {
                throw new ConfigException(where + ": " + entry.getDn() + " is a change record; the bootstrap file holds entries only");
            }
            if (!entry.getDn().isDescendantOf(suffix) && !entry.getDn().equals(suffix)) {
                throw new ConfigException(where + ": " + entry.getDn() + " is outside directory.suffix " + config.suffix()
                        + "; make the LDIF and the suffix agree");
            }
        }
        if (entries.isEmpty() || !entries.get(0).getDn().equals(suffix)) {
            throw new ConfigException(where + ": the first entry must be the suffix " + config.suffix());
        }
        return entries;
    }

    /** Loads {@code entries} unless an earlier start already finished doing so. */
    void loadIfFirstStart(DirectoryService service, List<LdifEntry> entries) throws LdapException, IOException {
        Path marker = config.dataDir().resolve(MARKER);
        if (Files.exists(marker)) {
            return;
        }
        CoreSession admin = service.getAdminSession();
        int added = 0;
        for (LdifEntry entry : entries) {
            if (!admin.exists(entry.getDn())) {
                admin.add(new DefaultEntry(service.getSchemaManager(), entry.getEntry()));
                added++;
            }
        }
        Files.writeString(marker, "bootstrap LDIF " + config.bootstrapLdif() + " loaded; delete dataDir to load it again\n");
        log.info("first start: loaded {} entries from {}", added, config.bootstrapLdif());
    }

    /** Sets {@code uid=admin,ou=system}'s password from the configuration (stored hashed). */
    void applyAdminPassword(DirectoryService service) throws LdapException {
        SchemaManager schemaManager = service.getSchemaManager();
        service.getAdminSession().modify(dn(schemaManager, ADMIN_DN), new DefaultModification(
                ModificationOperation.REPLACE_ATTRIBUTE,
                new DefaultAttribute(schemaManager.getAttributeType("userPassword"),
                        config.adminPassword().reveal().getBytes(StandardCharsets.UTF_8))));
    }

    private static Dn dn(SchemaManager schemaManager, String dn) {
        try {
            return new Dn(schemaManager, dn);
        } catch (LdapException e) {
            throw new ConfigException(dn + ": not a valid DN");
        }
    }

    private String expandOutsideComments(String ldif, String where) {
        return ldif.lines().map(line -> line.startsWith("#") ? line : env.expand(line, where))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : message.replaceAll("\\s+", " ").strip();
    }
}
