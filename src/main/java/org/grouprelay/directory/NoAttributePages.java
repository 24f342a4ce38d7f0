package org.grouprelay.directory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.message.SearchRequest;
import org.apache.directory.api.ldap.model.message.SearchResultDone;
import org.apache.directory.api.ldap.model.message.SearchResultEntry;
import org.apache.directory.api.ldap.model.message.controls.PagedResults;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;

/**
 * Paged searches that ask for no attributes ({@code 1.1}, as {@code ldapsearch … 1.1 -E pr=1000} and counting clients do)
 * return every page. ApacheDS 2.0.0.AM27 cannot step its no-attributes cursor back after a page: the paged-results control
 * is lost and the client sees one page only, without error. Such a search is run asking for {@code objectClass}, and this
 * filter (in each transport's MINA chain) sends its entries without attributes, as {@code 1.1} asked.
 */
final class NoAttributePages extends IoFilterAdapter {
    static final String FILTER_NAME = "grouprelayNoAttributePages";

    /** Searches rewritten, by MINA session and message id. */
    private final Set<String> rewritten = ConcurrentHashMap.newKeySet();

    /** Rewrites {@code request} if it is a paged search for {@code 1.1} alone, before ApacheDS runs it. */
    void rewrite(IoSession session, SearchRequest request) {
        List<String> attributes = request.getAttributes();
        if (session == null || !request.getControls().containsKey(PagedResults.OID) || attributes.size() != 1
                || !attributes.get(0).strip().equals(SchemaConstants.NO_ATTRIBUTE)) {
            return;
        }
        request.removeAttribute(attributes.get(0));
        request.addAttributes(SchemaConstants.OBJECT_CLASS_AT);
        rewritten.add(key(session, request.getMessageId()));
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest write) throws Exception {
        Object message = write.getMessage();
        if (message instanceof SearchResultEntry entry && rewritten.contains(key(session, entry.getMessageId()))) {
            entry.setEntry(new DefaultEntry(entry.getObjectName()));
        } else if (message instanceof SearchResultDone done) {
            rewritten.remove(key(session, done.getMessageId()));
        }
        next.filterWrite(session, write);
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) throws Exception {
        rewritten.removeIf(k -> k.startsWith(session.getId() + ":"));
        next.sessionClosed(session);
    }

    private static String key(IoSession session, int messageId) {
        return session.getId() + ":" + messageId;
    }
}
