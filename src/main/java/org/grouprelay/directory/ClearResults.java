package org.grouprelay.directory;

import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.directory.api.ldap.model.entry.Value;
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
    private static final int DN_SHOWN = 200;
    /** Long enough for every reason grouprelay itself gives (strict mode's say what to do); a refused 1 MB value is cut. */
    private static final int REASON_SHOWN = 1000;

    private ClearResults() {
    }

    /** Replaces the add, modify, modDN and delete request handlers; call before the server starts. */
    static void install(LdapServer server) {
        server.setAddHandlers(new AddRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "add", ((AddRequest) req).getEntryDn(), values((AddRequest) req), e);
            }
        }, new AddResponseHandler());
        server.setModifyHandlers(new ModifyRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "modify", ((ModifyRequest) req).getName(), values((ModifyRequest) req), e);
            }
        }, new ModifyResponseHandler());
        server.setModifyDnHandlers(new ModifyDnRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "modDN", ((ModifyDnRequest) req).getName(), List.of(), e);
            }
        }, new ModifyDnResponseHandler());
        server.setDeleteHandlers(new DeleteRequestHandler() {
            @Override
            public void handleException(LdapSession session, ResultResponseRequest req, ResultResponse resp, Exception e) {
                answer(session, resp, "delete", ((DeleteRequest) req).getName(), List.of(), e);
            }
        }, new DeleteResponseHandler());
    }

    /** An attribute value of the request, by the attribute's name as the client wrote it. */
    record Sent(String attribute, String value, int bytes) {
    }

    private static List<Sent> values(AddRequest req) {
        List<Sent> sent = new ArrayList<>();
        req.getEntry().getAttributes().forEach(a -> a.forEach(v -> sent.add(sent(a.getUpId(), v))));
        return sent;
    }

    private static List<Sent> values(ModifyRequest req) {
        List<Sent> sent = new ArrayList<>();
        req.getModifications().forEach(m -> m.getAttribute().forEach(v -> sent.add(sent(m.getAttribute().getUpId(), v))));
        return sent;
    }

    private static Sent sent(String attribute, Value value) {
        String text = value.isHumanReadable() ? value.getString() : null;
        return new Sent(attribute, text, value.getBytes() == null ? 0 : value.getBytes().length);
    }

    private static void answer(LdapSession session, ResultResponse response, String operation, Object dn, List<Sent> sent, Exception e) {
        Verdict verdict = named(verdict(e), sent);
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

    private static final Pattern UNNORMALIZABLE = Pattern.compile("Invalid upValue '(.*)', it can't be normalized", Pattern.DOTALL);

    /** Names the attribute whose value was refused, when the request shows which one it was. */
    static Verdict named(Verdict verdict, List<Sent> sent) {
        if (verdict.code() == ResultCodeEnum.ADMIN_LIMIT_EXCEEDED) {
            return sent.stream().filter(v -> v.bytes() > StorableValues.MAX_VALUE_BYTES).findFirst()
                    .map(v -> new Verdict(verdict.code(), v.attribute() + ": " + verdict.reason())).orElse(verdict);
        }
        if (verdict.code() == ResultCodeEnum.INVALID_ATTRIBUTE_SYNTAX) {
            Matcher m = UNNORMALIZABLE.matcher(verdict.reason());
            if (m.find()) {
                String value = m.group(1);
                return sent.stream().filter(v -> v.value() != null && shorten(v.value().replaceAll("\\s+", " ").strip()
                        .replaceAll("[\\p{Cntrl}\\x{FFFD}]", "?")).startsWith(value.length() > 20 ? value.substring(0, 20) : value))
                        .findFirst().or(() -> sent.stream().filter(v -> v.value() == null).findFirst())
                        .map(v -> new Verdict(verdict.code(), v.attribute() + ": " + verdict.reason())).orElse(verdict);
            }
        }
        return verdict;
    }

    /** The result code and reason for {@code e}: ApacheDS's own code where it chose one deliberately. */
    static Verdict verdict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UTFDataFormatException) {
                return new Verdict(ResultCodeEnum.ADMIN_LIMIT_EXCEEDED, StorableValues.TOO_LONG);
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
                .replaceAll("[\\p{Cntrl}\\x{FFFD}]", "?"), REASON_SHOWN);
    }

    private static String shorten(String text) {
        return shorten(text, DN_SHOWN);
    }

    private static String shorten(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "... (" + text.length() + " characters)";
    }
}
