package org.grouprelay.report;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.Secret;
import org.grouprelay.reconcile.CheckRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails a check report: one message to all recipients, {@code multipart/alternative} with the text
 * report first and the HTML report second, the subject carrying the counts.
 *
 * <p>TLS is never optional once configured: {@code starttls} sets {@code starttls.required}, so a server
 * that does not offer STARTTLS fails the send instead of receiving the report (and the password) in
 * clear; {@code ssl} speaks TLS from the first byte. The server's certificate is checked against the
 * JVM's trust store and the host name. Every network step has a timeout (10 s), so a dead server costs
 * the nightly check seconds, not the night.
 */
public final class Mailer {
    private static final Logger log = LoggerFactory.getLogger(Mailer.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CheckConfig.Email email;
    private final Clock clock;
    private final Duration timeout;
    private final SSLSocketFactory sslSocketFactory;

    public Mailer(CheckConfig.Email email, Clock clock) {
        this(email, clock, TIMEOUT, null);
    }

    /**
     * For tests: a shorter timeout, and a socket factory that trusts a test certificate authority
     * ({@code null}: the JVM's trust store). Host name verification stays on either way.
     */
    Mailer(CheckConfig.Email email, Clock clock, Duration timeout, SSLSocketFactory sslSocketFactory) {
        this.email = Objects.requireNonNull(email, "email");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.sslSocketFactory = sslSocketFactory;
    }

    /** {@code grouprelay check: in sync} or {@code grouprelay check: 3 drift findings (2 members missing, 1 extra member)}. */
    public static String subject(CheckRun run) {
        return "grouprelay check: " + Wording.headline(run.plan()) + Wording.outcome(run);
    }

    public void send(CheckRun run) throws MailException {
        CheckConfig.Smtp smtp = email.smtp();
        String subject = subject(run);
        try {
            Session session = Session.getInstance(properties());
            MimeMessage message = message(session, run, subject);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(smtp.host(), smtp.port(), smtp.user().orElse(null),
                        smtp.password().map(Secret::reveal).orElse(null));
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException | RuntimeException e) {
            throw new MailException("could not mail the check report to " + String.join(", ", email.to()) + " via "
                    + server() + ": " + reason(e), e);
        }
        log.info("check report mailed to {} via {}: {}", String.join(", ", email.to()), server(), subject);
    }

    /** A plain-text message to {@code to} (a notice, a digest) through the same server, from the same sender. */
    public void sendText(List<String> to, String subject, String body) throws MailException {
        CheckConfig.Smtp smtp = email.smtp();
        try {
            Session session = Session.getInstance(properties());
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(email.from(), true));
            List<InternetAddress> recipients = new ArrayList<>();
            for (String address : to) {
                recipients.add(new InternetAddress(address, true));
            }
            message.setRecipients(Message.RecipientType.TO, recipients.toArray(InternetAddress[]::new));
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(clock.instant()));
            message.setText(body, StandardCharsets.UTF_8.name(), "plain");
            message.saveChanges();
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(smtp.host(), smtp.port(), smtp.user().orElse(null), smtp.password().map(Secret::reveal).orElse(null));
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException | RuntimeException e) {
            throw new MailException("could not mail '" + subject + "' to " + String.join(", ", to) + " via " + server() + ": " + reason(e), e);
        }
        log.info("mailed '{}' to {} via {}", subject, String.join(", ", to), server());
    }

    /** The session's properties; package-private so a test can pin the production defaults. */
    Properties properties() {
        CheckConfig.Smtp smtp = email.smtp();
        String millis = Long.toString(timeout.toMillis());
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.from", email.from());
        p.setProperty("mail.smtp.connectiontimeout", millis);
        p.setProperty("mail.smtp.timeout", millis);
        p.setProperty("mail.smtp.writetimeout", millis);
        p.setProperty("mail.smtp.auth", Boolean.toString(smtp.user().isPresent()));
        if (smtp.ssl()) {
            p.setProperty("mail.smtp.ssl.enable", "true");
        } else if (smtp.starttls()) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        if (sslSocketFactory != null) {
            p.put("mail.smtp.ssl.socketFactory", sslSocketFactory); // an object, so put, not setProperty
        }
        return p;
    }

    private MimeMessage message(Session session, CheckRun run, String subject) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(email.from(), true));
        List<InternetAddress> to = new ArrayList<>();
        for (String address : email.to()) {
            to.add(new InternetAddress(address, true));
        }
        message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setSentDate(Date.from(clock.instant()));

        MimeBodyPart text = new MimeBodyPart();
        text.setText(Format.TEXT.render(run), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(Format.HTML.render(run), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative"); // the last part is the preferred one
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    private String server() {
        CheckConfig.Smtp smtp = email.smtp();
        return smtp.host() + ":" + smtp.port() + (smtp.ssl() ? " (SMTPS)" : smtp.starttls() ? " (STARTTLS)" : " (plain SMTP)");
    }

    /** The messages down the cause chain, each once: Jakarta Mail wraps the useful part ("Connection refused"). */
    private String reason(Exception e) {
        List<String> parts = new ArrayList<>();
        if (e instanceof AuthenticationFailedException) {
            parts.add("authentication as '" + email.smtp().user().orElse("") + "' failed");
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\\s+", " ").strip();
            if (!m.isEmpty() && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
