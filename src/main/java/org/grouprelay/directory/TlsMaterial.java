package org.grouprelay.directory;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.grouprelay.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key store: the configured one, or a self-signed certificate generated once under
 * {@code dataDir/tls} (kept across restarts so clients that trusted it keep trusting it). The
 * certificate is also written as PEM for import into Keycloak's trust store.
 */
public record TlsMaterial(Path keystore, String password, Path certificatePem) {
    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);
    private static final String ALIAS = "grouprelay";

    static TlsMaterial configured(TlsConfig tls) {
        return new TlsMaterial(tls.keystore(), tls.password().reveal(), null);
    }

    /** Loads the generated key store from {@code dir}, creating it on first use. */
    static TlsMaterial generated(Path dir, List<String> hosts, Clock clock) throws IOException, GeneralSecurityException {
        Path keystore = dir.resolve("selfsigned.p12");
        Path passwordFile = dir.resolve("selfsigned.password");
        Path pem = dir.resolve("selfsigned.pem");
        if (Files.isRegularFile(keystore) && Files.isRegularFile(passwordFile)) {
            return new TlsMaterial(keystore, Files.readString(passwordFile).strip(), pem);
        }
        Files.createDirectories(dir);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(keyPair, subjectNames(hosts), clock.instant());

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, keyPair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
        writePrivate(passwordFile, password.getBytes());
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, password.toCharArray());
        }
        String encoded = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded());
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + encoded + "\n-----END CERTIFICATE-----\n");
        log.info("generated a self-signed certificate {} (SHA-256 {}); clients must trust it, or configure directory.tls",
                pem, HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        return new TlsMaterial(keystore, password, pem);
    }

    private static Set<String> subjectNames(List<String> hosts) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        for (String host : hosts) {
            if (!host.equals("0.0.0.0") && !host.equals("::")) {
                names.add(host);
            }
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable host name: the loopback names still work
        }
        return names;
    }

    private static X509Certificate selfSigned(KeyPair keyPair, Set<String> names, Instant now) throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=" + names.iterator().next() + ",O=grouprelay self-signed");
        GeneralName[] alternatives = names.stream()
                .map(n -> new GeneralName(isIpAddress(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException("cannot build the self-signed certificate", e);
        }
    }

    private static boolean isIpAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the data directory's own permissions protect it
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[keystore=" + keystore + ", password=****]";
    }
}
