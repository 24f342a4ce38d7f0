package org.grouprelay.targets.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** Builds the one immutable OkHttp client of an HTTP target (Seafile's admin API, SCIM). */
public final class HttpClients {
    private HttpClients() {
    }

    /** {@code timeout} bounds connect, read, write and the whole call; {@code caFile}: PEM certificates to trust instead of the JVM's. */
    public static OkHttpClient create(java.time.Duration timeout, java.util.Optional<Path> caFile) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .followRedirects(false)
                .socketFactory(new NoDelaySockets());
        caFile.ifPresent(file -> {
            X509TrustManager trust = trustManager(file);
            builder.sslSocketFactory(context(trust).getSocketFactory(), trust);
        });
        return builder.build();
    }

    /** Trusts exactly the certificates in {@code pem} (a CA, or the server's self-signed certificate). */
    public static X509TrustManager trustManager(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager available");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("caFile: cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    private static SSLContext context(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }
}
