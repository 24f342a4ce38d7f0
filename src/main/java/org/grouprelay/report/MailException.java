package org.grouprelay.report;

/** The report mail could not be sent; the message says where to and why, in one line, without secrets. */
public final class MailException extends Exception {
    public MailException(String message, Throwable cause) {
        super(message, cause);
    }
}
