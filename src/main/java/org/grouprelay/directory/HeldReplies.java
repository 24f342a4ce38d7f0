package org.grouprelay.directory;

import java.util.concurrent.CompletionStage;
import org.apache.directory.api.ldap.model.message.AddResponse;
import org.apache.directory.api.ldap.model.message.DeleteResponse;
import org.apache.directory.api.ldap.model.message.ModifyDnResponse;
import org.apache.directory.api.ldap.model.message.ModifyResponse;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.shared.DefaultCoreSession;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the reply of a write until its change reached the targets, without holding the directory's
 * write lock or a thread meanwhile. ApacheDS runs an operation on one network thread: the interceptor
 * chain (under the global write lock), the partition commit, the lock's release, then the reply's
 * write. Capture, still inside the chain, {@linkplain #hold holds} the reply with a stage; when the
 * same thread later writes the add, modify, delete or modify-DN response, this filter defers that
 * write until the stage completes, and the thread goes back to serve other clients.
 */
public final class HeldReplies extends IoFilterAdapter {
    private static final Logger log = LoggerFactory.getLogger(HeldReplies.class);
    /** The filter's name in each transport's MINA filter chain. */
    static final String FILTER_NAME = "grouprelayHeldReplies";

    private final ThreadLocal<CompletionStage<?>> held = new ThreadLocal<>();

    /**
     * The reply to the operation running on this thread in {@code session} waits for {@code until}.
     * Operations that no LDAP client waits for (internal writes) are not held.
     */
    public void hold(CoreSession session, CompletionStage<?> until) {
        if (session instanceof DefaultCoreSession network && network.getIoSession() != null) {
            held.set(until);
        }
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest write) throws Exception {
        CompletionStage<?> until = held.get();
        if (until == null || !isWriteResponse(write.getMessage())) {
            next.filterWrite(session, write);
            return;
        }
        held.remove();
        until.whenComplete((done, failure) -> {
            if (failure != null) {
                log.error("while the reply to {} waited: {}", write.getMessage().getClass().getSimpleName(), failure.toString());
            }
            next.filterWrite(session, write);
        });
    }

    private static boolean isWriteResponse(Object message) {
        return message instanceof ModifyResponse || message instanceof AddResponse || message instanceof DeleteResponse
                || message instanceof ModifyDnResponse;
    }
}
