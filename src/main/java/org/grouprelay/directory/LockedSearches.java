package org.grouprelay.directory;

import org.apache.directory.api.ldap.model.message.SearchRequest;
import org.apache.directory.server.core.api.OperationManager;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.ldap.LdapSession;
import org.apache.directory.server.ldap.handlers.LdapRequestHandler;
import org.apache.directory.server.ldap.handlers.request.SearchRequestHandler;
import org.apache.directory.server.ldap.handlers.response.SearchResultDoneHandler;
import org.apache.directory.server.ldap.handlers.response.SearchResultEntryHandler;
import org.apache.directory.server.ldap.handlers.response.SearchResultReferenceHandler;

/**
 * An LDAP search holds the directory's read lock until its last entry is read. ApacheDS takes the lock
 * only while it builds a search's cursor and reads the JDBM partition afterwards, while writes commit:
 * with Keycloak-like load (8 clients searching and modifying) that corrupted JDBM's block cache ("ERR_556
 * in use list not empty at commit time"), and every later write failed. Writes now wait for searches in
 * progress, as binds and searches wait for writes.
 */
final class LockedSearches extends LdapRequestHandler<SearchRequest> {
    private final SearchRequestHandler searches = new SearchRequestHandler();
    private final OperationManager operations;
    private final NoAttributePages noAttributePages;

    private LockedSearches(OperationManager operations, NoAttributePages noAttributePages) {
        this.operations = operations;
        this.noAttributePages = noAttributePages;
    }

    /** Replaces the search handlers of {@code server}; call before it starts. */
    static void install(LdapServer server, OperationManager operations, NoAttributePages noAttributePages) {
        LockedSearches locked = new LockedSearches(operations, noAttributePages);
        server.setSearchHandlers(locked, new SearchResultEntryHandler(), new SearchResultReferenceHandler(), new SearchResultDoneHandler());
        locked.searches.setLdapServer(server);
    }

    @Override
    public void handle(LdapSession session, SearchRequest request) throws Exception {
        noAttributePages.rewrite(session.getIoSession(), request);
        ReadLocked.read(operations, () -> {
            searches.handle(session, request);
            return null;
        });
    }
}
