package org.grouprelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code seafile.api} section: what binds, what the defaults are, and one clear line per mistake. */
class ApiConfigTest {
    @TempDir
    static Path dir;
    static Path pem;
    static final Environment ENV = new Environment(Map.of("ADMIN_PW", "s3cret-admin", "SEAFILE_ADMIN_TOKEN", "t0ken-value-123",
            "SEAFILE_ADMIN_PASSWORD", "pa55word"));

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(dir.resolve("bootstrap.ldif"), "dn: dc=example,dc=org\n");
        pem = Files.writeString(dir.resolve("seafile.pem"), new HeldCertificate.Builder().commonName("seafile").build().certificatePem());
        Files.writeString(dir.resolve("not.pem"), "hello\n");
    }

    static String yaml(String api) {
        return """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: ./data
                  bootstrapLdif: %s
                  adminPassword: ${ADMIN_PW}
                  ldap:  { host: 127.0.0.1, port: 10389 }
                  peopleDn: ou=people,dc=example,dc=org
                  groupsDn: ou=groups,dc=example,dc=org
                seafile:
                  target: api
                  groupCreator: admin@example.org
                """.formatted(dir.resolve("bootstrap.ldif")) + api;
    }

    static Config parse(String yaml) {
        return new ConfigLoader(ENV).parse(yaml, "test.yaml");
    }

    @Test
    void theApiSectionBindsWithDefaultsAndHidesTheToken() {
        SeafileConfig seafile = parse(yaml("""
                  api:
                    url: https://seafile.example.org/
                    token: ${SEAFILE_ADMIN_TOKEN}
                """)).seafile().orElseThrow();
        assertThat(seafile.target()).isEqualTo(SeafileConfig.TargetKind.API);
        SeafileConfig.Api api = seafile.api().orElseThrow();
        assertThat(api.url()).isEqualTo("https://seafile.example.org");
        assertThat(api.token().orElseThrow().reveal()).isEqualTo("t0ken-value-123");
        assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.maxRequestsPerSecond()).isEqualTo(20);
        assertThat(api.caFile()).isEmpty();
        assertThat(seafile.toString()).doesNotContain("t0ken-value-123");
    }

    @Test
    void usernameAndPasswordTimeoutRateAndCaFileBind() {
        SeafileConfig.Api api = parse(yaml("""
                  api:
                    url: http://127.0.0.1:8000
                    username: admin@example.org
                    password: ${SEAFILE_ADMIN_PASSWORD}
                    timeoutSeconds: 3
                    maxRequestsPerSecond: 5
                    caFile: %s
                """.formatted(pem))).seafile().orElseThrow().api().orElseThrow();
        assertThat(api.username()).contains("admin@example.org");
        assertThat(api.password().orElseThrow().reveal()).isEqualTo("pa55word");
        assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(api.maxRequestsPerSecond()).isEqualTo(5);
        assertThat(api.caFile()).contains(pem);
        assertThat(api.toString()).doesNotContain("pa55word");
    }

    static Stream<Arguments> mistakes() {
        String url = "    url: https://seafile.example.org\n";
        String token = "    token: ${SEAFILE_ADMIN_TOKEN}\n";
        return Stream.of(
                Arguments.of("api target without section", "", "seafile.api: missing; seafile.target api needs url and token"),
                Arguments.of("no url", "  api:\n" + token, "seafile.api.url: missing"),
                Arguments.of("url not http", "  api:\n    url: ftp://seafile\n" + token,
                        "seafile.api.url: 'ftp://seafile' is not an http(s) URL; write Seafile's address like https://seafile.example.org"),
                Arguments.of("no credentials", "  api:\n" + url, "seafile.api.token: missing; give an admin API token"),
                Arguments.of("token and username", "  api:\n" + url + token + "    username: admin\n",
                        "seafile.api.username: give either token or username and password, not both"),
                Arguments.of("username without password", "  api:\n" + url + "    username: admin\n", "seafile.api.password: missing"),
                Arguments.of("password without username", "  api:\n" + url + "    password: x\n", "seafile.api.username: missing"),
                Arguments.of("bad timeout", "  api:\n" + url + token + "    timeoutSeconds: 0\n",
                        "seafile.api.timeoutSeconds: '0' is not a positive whole number of seconds"),
                Arguments.of("bad rate", "  api:\n" + url + token + "    maxRequestsPerSecond: fast\n",
                        "seafile.api.maxRequestsPerSecond: 'fast' is not a positive whole number of requests per second"),
                Arguments.of("missing CA file", "  api:\n" + url + token + "    caFile: /nonexistent/ca.pem\n",
                        "seafile.api.caFile: file /nonexistent/ca.pem does not exist"),
                Arguments.of("CA file without certificate", "  api:\n" + url + token + "    caFile: " + dir.resolve("not.pem") + "\n",
                        "holds no PEM certificate; give the CA (or the server's self-signed) certificate in PEM form"),
                Arguments.of("unknown key", "  api:\n" + url + token + "    timeout: 5\n",
                        "seafile.api.timeout: unknown key; seafile.api accepts caFile, maxRequestsPerSecond, password, timeoutSeconds, token, url, username"),
                Arguments.of("unset token variable", "  api:\n" + url + "    token: ${SEAFILE_TOKEN_NOT_SET}\n",
                        "seafile.api.token: environment variable SEAFILE_TOKEN_NOT_SET is not set"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsOneLineNamingTheKey(String name, String api, String expected) {
        assertThatThrownBy(() -> parse(yaml(api))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
