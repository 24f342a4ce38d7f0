package org.grouprelay.reliability;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS handshake with exactly one protocol version, run in its own JVM (whose security properties
 * may re-enable TLS 1.0 and 1.1, which the JDK disables by default). Exit 0 and {@code OK <version>}
 * when the handshake succeeds, 1 and {@code FAIL <reason>} when it does not.
 *
 * <pre>
 * TlsProbe ldaps HOST PORT PROTOCOL       LDAPS
 * TlsProbe starttls HOST PORT PROTOCOL    LDAP, StartTLS extended operation, then the handshake
 * TlsProbe self KEYSTORE.p12 PASSWORD PROTOCOL   a local TLS server with that protocol: proves this JVM can speak it
 * </pre>
 */
public final class TlsProbe {
    /** LDAPMessage { messageID 1, ExtendedRequest { requestName "1.3.6.1.4.1.1466.20037" } }. */
    private static final byte[] START_TLS = concat(new byte[] {0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, (byte) 0x80, 0x16},
            "1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII));

    private TlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        String protocol = args[3];
        try {
            String negotiated = switch (args[0]) {
                case "ldaps" -> handshake(new Socket(args[1], Integer.parseInt(args[2])), args[1], protocol);
                case "starttls" -> startTls(args[1], Integer.parseInt(args[2]), protocol);
                case "self" -> self(args[1], args[2], protocol);
                default -> throw new IllegalArgumentException("mode " + args[0]);
            };
            System.out.println("OK " + negotiated);
            System.exit(0);
        } catch (Exception e) {
            System.out.println("FAIL " + e);
            System.exit(1);
        }
    }

    private static String startTls(String host, int port, String protocol) throws Exception {
        Socket plain = new Socket(host, port);
        OutputStream out = plain.getOutputStream();
        out.write(START_TLS);
        out.flush();
        DataInputStream in = new DataInputStream(plain.getInputStream());
        in.readUnsignedByte(); // SEQUENCE
        int length = in.readUnsignedByte();
        if ((length & 0x80) != 0) {
            int bytes = length & 0x7f;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | in.readUnsignedByte();
            }
        }
        byte[] response = new byte[length];
        in.readFully(response);
        // ExtendedResponse [APPLICATION 24] { resultCode ENUMERATED ... }: 0x78 len 0x0a 0x01 code
        int at = 0;
        while (at < response.length && (response[at] & 0xff) != 0x78) {
            at++;
        }
        int code = response[at + 4];
        if (code != 0) {
            throw new IllegalStateException("StartTLS refused with result " + code);
        }
        return handshake(plain, host, protocol);
    }

    private static String handshake(Socket plain, String host, String protocol) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true)) {
            tls.setEnabledProtocols(new String[] {protocol});
            tls.setSoTimeout(10_000);
            tls.startHandshake();
            return tls.getSession().getProtocol();
        }
    }

    private static String self(String keystore, String password, String protocol) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0)) {
            server.setEnabledProtocols(new String[] {protocol});
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (Exception e) {
                    // the client reports the outcome
                }
            });
            accept.setDaemon(true);
            accept.start();
            return handshake(new Socket("127.0.0.1", server.getLocalPort()), "127.0.0.1", protocol);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The probe checks protocol versions, not certificates. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
