package org.grouprelay.directory;

import java.io.UTFDataFormatException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.AddRequest;
import org.apache.directory.api.ldap.model.message.DeleteRequest;
import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.ModifyDnRequest;
import org.apache.directory.api.ldap.model.message.ModifyRequest;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.ResultResponse;
import org.apache.directory.api.ldap.model.message.ResultResponseRequest;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.ldap.LdapSession;
import org.apache.directory.server.ldap.handlers.request.AddRequestHandler;
import org.apache.directory.server.ldap.handlers.request.DeleteRequestHandler;
import org.apache.directory.server.ldap.handlers.request.ModifyDnRequestHandler;
import org.apache.directory.server.ldap.handlers.request.ModifyRequestHandler;
import org.apache.directory.server.ldap.handlers.response.AddResponseHandler;
import org.apache.directory.server.ldap.handlers.response.DeleteResponseHandler;
import org.apache.directory.server.ldap.handlers.response.ModifyDnResponseHandler;
import org.apache.directory.server.ldap.handlers.response.ModifyResponseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One clear line for every refused write. ApacheDS answers a failed add, modify, modDN or delete
 * with the whole request echoed back (a 1 MB value, a password) and, for result 80, its Java stack
 * trace; a value that is not valid for its syntax becomes 80 instead of 21, and a value too long
 * for the partition's serialisation an 80 with no reason. Here the client gets the result code the
 * problem deserves and {@code <operation> <dn>: <reason>}; the stack trace goes to the log.
 */
final class ClearResults {
    private static final Logger log = LoggerFactory.getLogger(ClearResults.class);
    /** ObjectOutputStream.writeUTF, which the JDBM partition uses for every value, stops at 65535 bytes. */
    static final int MAX_VALUE_BYTES = 65_535;
    private static final int DN_SHOWN = 200;

    private ClearResults() {
    }

    /** Replaces the add, modify, modDN and delete request handlers; call before the server starts. */
    static void install(LdapServer server) {
        server.setAddHandlers(new AddRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "add", ((AddRequest) req).getEntryDn(), e);
            }
        }, new AddResponseHandler());
        server.setModifyHandlers(new ModifyRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "modify", ((ModifyRequest) req).getName(), e);
            }
        }, new ModifyResponseHandler());
        server.setModifyDnHandlers(new ModifyDnRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "modDN", ((ModifyDnRequest) req).getName(), e);
            }
        }, new ModifyDnResponseHandler());
        server.setDeleteHandlers(new DeleteRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "delete", ((DeleteRequest) req).getName(), e);
            }
        }, new DeleteResponseHandler());
    }

    private static void answer(LdapSession session, ResultResponse response, String operation, Object dn, Exception e) {
        Verdict verdict = verdict(e);
        LdapResult result = response.getLdapResult();
        result.setResultCode(verdict.code());
        result.setDiagnosticMessage(operation + " " + shorten(String.valueOf(dn)) + ": " + verdict.reason());
        if (e instanceof LdapOperationException && ((LdapOperationException) e).getResolvedDn() != null
                && verdict.code() == ResultCodeEnum.NO_SUCH_OBJECT) {
            result.setMatchedDn(((LdapOperationException) e).getResolvedDn());
        }
        if (verdict.code() == ResultCodeEnum.OTHER) {
            log.warn("{} {} failed: {}", operation, shorten(String.valueOf(dn)), verdict.reason(), e);
        } else {
            log.debug("{} {} refused: {}", operation, shorten(String.valueOf(dn)), verdict.reason(), e);
        }
        session.getIoSession().write(response);
    }

    record Verdict(ResultCodeEnum code, String reason) {
    }

    /** The result code and reason for {@code e}: ApacheDS's own code where it chose one deliberately. */
    static Verdict verdict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UTFDataFormatException) {
                return new Verdict(ResultCodeEnum.ADMIN_LIMIT_EXCEEDED,
                        "a value is longer than the directory can store (" + MAX_VALUE_BYTES + " bytes of UTF-8 per value)");
            }
        }
        if (e instanceof LdapOperationException && ((LdapOperationException) e).getResultCode() != ResultCodeEnum.OTHER) {
            ResultCodeEnum code = ((LdapOperationException) e).getResultCode();
            return new Verdict(code, e.getMessage() == null ? code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') : reason(e));
        }
        if (e instanceof IllegalArgumentException || e.getCause() instanceof IllegalArgumentException) {
            Throwable invalid = e instanceof IllegalArgumentException ? e : e.getCause();
            return new Verdict(ResultCodeEnum.INVALID_ATTRIBUTE_SYNTAX, "a value does not match its attribute's syntax: " + reason(invalid));
        }
        return new Verdict(ResultCodeEnum.OTHER, "the directory could not perform it: " + reason(e));
    }

    /** The exception's own message without ApacheDS's message key, on one line. */
    private static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return shorten(message.replaceFirst("^ERR_\\d+_[A-Z0-9_]+ ", "").replaceAll("\\s+", " ").strip()
                .replaceAll("[\\p{Cntrl}\\x{FFFD}]", "?"));
    }

    private static String shorten(String text) {
        return text.length() <= DN_SHOWN ? text : text.substring(0, DN_SHOWN) + "... (" + text.length() + " characters)";
    }
}
