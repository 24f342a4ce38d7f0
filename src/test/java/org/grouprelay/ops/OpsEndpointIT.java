package org.grouprelay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.Config;
import org.grouprelay.config.OpsConfig;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} and {@code /metrics} over real HTTP, from a running grouprelay (in this JVM) that
 * relays into a real MariaDB, which is stopped for real to make it unhealthy.
 */
class OpsEndpointIT {
    static TestSeafile seafile;
    static TestDirectory directory;
    static GroupRelay relay;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts("alice", "bob", "carol");
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob", "carol"))
                .relayingTo(seafile, Relaying.relayMode().deadline(Duration.ofMillis(1000)));
        Config plain = directory.fullConfig();
        OpsConfig ops = new OpsConfig(new OpsConfig.Http(true, "127.0.0.1", TestDirectory.freePort()), Duration.ofSeconds(2));
        relay = GroupRelay.start(new Config(plain.directory(), plain.seafile(), CheckConfig.defaults(), ops), TestDirectory.environment(),
                Clock.systemUTC());
        base = ops.http().localUrl();
    }

    @AfterAll
    static void stop() {
        relay.close();
        directory.close();
        seafile.close();
    }

    @AfterEach
    void databaseUp() {
        seafile.startServer();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode health(int expectedStatus) throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new ObjectMapper().readTree(response.body());
    }

    static Scrape metrics() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return Scrape.parse(response.body());
    }

    @Test
    void healthIs200WithTheFactsWhenEverythingAnswers() throws Exception {
        JsonNode health = health(200);
        assertThat(health.path("healthy").asBoolean()).isTrue();
        assertThat(health.path("problems")).isEmpty();
        assertThat(health.path("directory").path("up").asBoolean()).isTrue();
        assertThat(health.path("seafile").path("up").asBoolean()).isTrue();
        assertThat(health.path("outbox").path("depth").asInt()).isZero();
        assertThat(health.path("pending").path("members").asInt()).isZero();
    }

    @Test
    void metricsMoveWhenChangesAreRelayed() throws Exception {
        Scrape before = metrics();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "metered", "alice");
            LdapFixtures.modify(ldap, "metered", ModificationType.ADD, "bob");
            LdapFixtures.modify(ldap, "metered", ModificationType.DELETE, "alice");
        }
        try (LDAPConnection wrong = new LDAPConnection("127.0.0.1", directory.ldapPort())) {
            wrong.bind(TestDirectory.ADMIN_DN, "not-the-password");
        } catch (LDAPException expected) {
            // counted as a bind with result invalid_credentials
        }
        relay.check().orElseThrow().runNow();
        Scrape after = metrics();

        assertThat(delta(before, after, "grouprelay_changes_total", "kind", "group-created", "outcome", "applied")).isEqualTo(1);
        assertThat(delta(before, after, "grouprelay_changes_total", "kind", "member-added", "outcome", "applied")).isEqualTo(2);
        assertThat(delta(before, after, "grouprelay_changes_total", "kind", "member-removed", "outcome", "applied")).isEqualTo(1);
        assertThat(delta(before, after, "grouprelay_members_total", "outcome", "applied")).isEqualTo(3);
        assertThat(delta(before, after, "grouprelay_relay_latency_seconds_count")).isEqualTo(4);
        assertThat(after.value("grouprelay_relay_latency_seconds_bucket", "le", "+Inf")).isEqualTo(after.value("grouprelay_relay_latency_seconds_count"));
        assertThat(delta(before, after, "grouprelay_ldap_operations_seconds_count", "operation", "add", "result", "success")).isEqualTo(1);
        assertThat(delta(before, after, "grouprelay_ldap_operations_seconds_count", "operation", "modify", "result", "success")).isEqualTo(2);
        assertThat(delta(before, after, "grouprelay_ldap_operations_seconds_count", "operation", "bind", "result", "invalid_credentials"))
                .isEqualTo(1);
        assertThat(after.value("grouprelay_outbox_depth")).isZero();
        assertThat(after.value("grouprelay_outbox_oldest_age_seconds")).isZero();
        assertThat(after.has("grouprelay_pending_members")).isTrue();
        assertThat(after.has("grouprelay_pending_users")).isTrue();
        assertThat(after.value("grouprelay_check_in_sync")).isEqualTo(1);
        assertThat(after.value("grouprelay_check_drift_findings")).isZero();
        assertThat(after.value("grouprelay_check_findings", "kind", "member_missing")).isZero();
        assertThat(delta(before, after, "grouprelay_check_runs_total", "outcome", "in-sync")).isEqualTo(1);
        assertThat(after.value("grouprelay_check_last_run_timestamp_seconds")).isPositive();
        assertThat(after.has("jvm_memory_used_bytes")).isTrue();
    }

    @Test
    void healthIs503WithTheReasonWhileTheDatabaseIsStoppedAndMetricsShowTheBacklog() throws Exception {
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "outage", "alice");
            Scrape before = metrics();
            seafile.stopServer();
            LdapFixtures.modify(ldap, "outage", ModificationType.ADD, "carol"); // acknowledged, queued in the outbox

            JsonNode health = health(503);
            assertThat(health.path("healthy").asBoolean()).isFalse();
            assertThat(health.path("seafile").path("up").asBoolean()).isFalse();
            assertThat(health.path("directory").path("up").asBoolean()).isTrue();
            assertThat(health.path("problems").toString()).contains("Seafile");
            assertThat(health.path("outbox").path("depth").asInt()).isEqualTo(1);

            Scrape during = metrics();
            assertThat(during.value("grouprelay_outbox_depth")).isEqualTo(1);
            assertThat(delta(before, during, "grouprelay_target_errors_total", "class", "transient")).isPositive();
            assertThat(delta(before, during, "grouprelay_changes_total", "kind", "member-added", "outcome", "retrying")).isPositive();
        }
        seafile.startServer();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (relay.relay().orElseThrow().outboxDepth() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        JsonNode healthy = health(200);
        assertThat(healthy.path("outbox").path("depth").asInt()).isZero();
        assertThat(healthy.path("lastError").path("outcome").asText()).isIn("queued", "retrying (1)", "retrying (2)");
        assertThat(metrics().value("grouprelay_outbox_depth")).isZero();
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/healthz").statusCode()).isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void theContainerHealthProbeExitsZeroOnlyWhenHealthy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(HealthProbe.probe(URI.create(base + "/health"), Duration.ofSeconds(10), new PrintStream(out, true))).isZero();
        assertThat(HealthProbe.probe(URI.create(base + "/nothing"), Duration.ofSeconds(10), new PrintStream(out, true))).isEqualTo(1);
        int closed = TestDirectory.freePort();
        assertThat(HealthProbe.probe(URI.create("http://127.0.0.1:" + closed + "/health"), Duration.ofSeconds(2), new PrintStream(out, true)))
                .isEqualTo(1);
        assertThat(out.toString()).contains("/health: 200", "/nothing: 404", "Connection refused");
    }

    static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
