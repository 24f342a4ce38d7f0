package org.grouprelay.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.Secret;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The report mail against a real SMTP server (GreenMail, in process), in front of it a real TLS endpoint. */
class MailerIT {
    static final String FROM = "grouprelay@example.org";
    static final List<String> TO = List.of("ops@example.org", "alice@example.org", "seafile-admins@example.net");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T02:31:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("reporter@example.org", "reporter", "s3cret"));

    static TestTls tls;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.create();
    }

    static int smtpPort() {
        return SMTP.getSmtp().getPort();
    }

    static Mailer mailer(int port, boolean starttls, boolean ssl, Optional<String> user, Optional<Secret> password,
            SSLSocketFactory trust, Duration timeout) {
        CheckConfig.Smtp smtp = new CheckConfig.Smtp("127.0.0.1", port, starttls, ssl, user, password);
        return new Mailer(new CheckConfig.Email(TO, FROM, smtp), CLOCK, timeout, trust);
    }

    static Mailer plain(int port) {
        return mailer(port, false, false, Optional.empty(), Optional.empty(), null, Mailer.TIMEOUT);
    }

    @Test
    void oneMessageReachesEveryRecipientWithSubjectSenderAndTextAndHtmlAlternatives() throws Exception {
        plain(smtpPort()).send(Runs.drift());

        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(TO.size()); // one copy per recipient's mailbox
        MimeMessage message = received[0];
        assertThat(message.getSubject()).isEqualTo(
                "grouprelay check: 3 drift findings (2 members missing, 1 extra member); 1 pending member");
        assertThat(message.getFrom()).extracting(Object::toString).containsExactly(FROM);
        assertThat(message.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactlyElementsOf(TO);
        assertThat(message.getSentDate().toInstant()).isEqualTo(CLOCK.instant());
        for (String recipient : TO) { // each delivered into its own mailbox
            var user = SMTP.getUserManager().getUserByEmail(recipient);
            assertThat(user).as(recipient).isNotNull();
            assertThat(SMTP.getManagers().getImapHostManager().getInbox(user).getMessageCount()).as(recipient).isEqualTo(1);
        }

        assertThat(message.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
        assertThat(normalized((String) parts.getBodyPart(0).getContent())).isEqualTo(Format.TEXT.render(Runs.drift()));
        assertThat(normalized((String) parts.getBodyPart(1).getContent())).isEqualTo(Format.HTML.render(Runs.drift()));
    }

    @Test
    void startTlsUpgradesTheConnectionBeforeTheReportIsSent() throws Exception {
        try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, tls.server(), smtpPort())) {
            mailer(front.port(), true, false, Optional.empty(), Optional.empty(), tls.trustingClient(), Mailer.TIMEOUT)
                    .send(Runs.inSync());

            assertThat(front.tlsProtocols()).singleElement().asString().startsWith("TLSv1.");
        }
        assertThat(SMTP.getReceivedMessages()).hasSize(TO.size())
                .allSatisfy(m -> assertThat(m.getSubject()).isEqualTo("grouprelay check: in sync"));
    }

    @Test
    void startTlsIsRequiredSoAServerWithoutItGetsNothing() {
        Mailer mailer = mailer(smtpPort(), true, false, Optional.of("reporter"), Optional.of(new Secret("s3cret")),
                tls.trustingClient(), Mailer.TIMEOUT);

        assertThatThrownBy(() -> mailer.send(Runs.drift())).isInstanceOf(MailException.class)
                .hasMessageContaining("127.0.0.1:" + smtpPort() + " (STARTTLS)")
                .hasMessageContaining("STARTTLS is required but host does not support STARTTLS")
                .hasMessageNotContaining("s3cret");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void smtpsSpeaksTlsFromTheFirstByte() throws Exception {
        try (TlsFront front = new TlsFront(TlsFront.Mode.IMPLICIT, tls.server(), smtpPort())) {
            mailer(front.port(), false, true, Optional.empty(), Optional.empty(), tls.trustingClient(), Mailer.TIMEOUT)
                    .send(Runs.drift());

            assertThat(front.tlsProtocols()).singleElement().asString().startsWith("TLSv1.");
        }
        assertThat(SMTP.getReceivedMessages()).hasSize(TO.size());
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefusedByDefault() throws Exception {
        try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, tls.server(), smtpPort())) {
            CheckConfig.Smtp smtp = new CheckConfig.Smtp("127.0.0.1", front.port(), true, false, Optional.empty(), Optional.empty());
            Mailer production = new Mailer(new CheckConfig.Email(TO, FROM, smtp), CLOCK);

            assertThatThrownBy(() -> production.send(Runs.drift())).isInstanceOf(MailException.class)
                    .hasMessageContaining("(STARTTLS)")
                    .hasMessageContaining("PKIX path building failed");
        }
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void authenticatesWithTheConfiguredUserAndPassword() throws Exception {
        try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, tls.server(), smtpPort())) {
            mailer(front.port(), true, false, Optional.of("reporter"), Optional.of(new Secret("s3cret")), tls.trustingClient(),
                    Mailer.TIMEOUT).send(Runs.drift());
        }
        assertThat(SMTP.getReceivedMessages()).hasSize(TO.size());
    }

    @Test
    void aWrongPasswordFailsWithTheUserNamedAndThePasswordNot() throws Exception {
        try (TlsFront front = new TlsFront(TlsFront.Mode.STARTTLS, tls.server(), smtpPort())) {
            Mailer mailer = mailer(front.port(), true, false, Optional.of("reporter"), Optional.of(new Secret("wrong-password")),
                    tls.trustingClient(), Mailer.TIMEOUT);

            assertThatThrownBy(() -> mailer.send(Runs.drift())).isInstanceOf(MailException.class)
                    .hasMessageContaining("authentication as 'reporter' failed")
                    .hasMessageNotContaining("wrong-password");
        }
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void noServerOnThePortFailsAtOnceWithAClearMessage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        long start = System.nanoTime();

        assertThatThrownBy(() -> plain(closed).send(Runs.drift())).isInstanceOf(MailException.class)
                .hasMessageStartingWith("could not mail the check report to ops@example.org, alice@example.org,"
                        + " seafile-admins@example.net via 127.0.0.1:" + closed + " (plain SMTP): ")
                .hasMessageContaining("Couldn't connect to host")
                .hasMessageContaining("Connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Mailer.TIMEOUT);
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept()); // and never say 220
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            Mailer mailer = mailer(silent.getLocalPort(), false, false, Optional.empty(), Optional.empty(), null,
                    Duration.ofMillis(500));
            long start = System.nanoTime();

            assertThatThrownBy(() -> mailer.send(Runs.drift())).isInstanceOf(MailException.class)
                    .hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
            acceptor.join(1000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aMailFailureStillLeavesTheReportInTheArchive() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        ReportDelivery delivery = new ReportDelivery(new ReportArchive(dataDir), config(false), Optional.of(plain(closed)));

        ReportDelivery.Outcome outcome = delivery.deliver(Runs.drift());

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.mail()).isEqualTo(ReportDelivery.MailStatus.FAILED);
        assertThat(outcome.mailError()).hasValueSatisfying(m -> assertThat(m).contains("Connection refused"));
        assertThat(outcome.files()).containsOnlyKeys(Format.values());
        assertThat(Files.readString(outcome.files().get(Format.TEXT))).isEqualTo(Format.TEXT.render(Runs.drift()));
    }

    @Test
    void onlyOnDriftArchivesButDoesNotMailAnInSyncReport() throws Exception {
        ReportDelivery quiet = new ReportDelivery(new ReportArchive(dataDir), config(true), Optional.of(plain(smtpPort())));

        ReportDelivery.Outcome inSync = quiet.deliver(Runs.inSync());
        assertThat(inSync.mail()).isEqualTo(ReportDelivery.MailStatus.SKIPPED_IN_SYNC);
        assertThat(inSync.ok()).isTrue();
        assertThat(inSync.files()).hasSize(3);
        assertThat(SMTP.getReceivedMessages()).isEmpty();

        ReportDelivery.Outcome drift = quiet.deliver(Runs.drift());
        assertThat(drift.mail()).isEqualTo(ReportDelivery.MailStatus.SENT);
        assertThat(SMTP.getReceivedMessages()).hasSize(TO.size());
    }

    private static CheckConfig config(boolean onlyOnDrift) {
        CheckConfig.Smtp smtp = new CheckConfig.Smtp("127.0.0.1", 25, false, false, Optional.empty(), Optional.empty());
        return new CheckConfig("0 30 2 * * ?", 0.2, onlyOnDrift, Optional.of(new CheckConfig.Email(TO, FROM, smtp)));
    }

    /** Mail travels with CRLF line ends; the reports use LF. */
    private static String normalized(String mailText) {
        return mailText.replace("\r\n", "\n");
    }
}
