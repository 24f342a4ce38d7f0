package org.grouprelay.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.grouprelay.config.KeycloakConfig;
import org.grouprelay.config.Secret;
import org.grouprelay.directory.ExpiryValue;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestClock;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin-event follower maps Keycloak's group attribute {@code membershipExpirationDays} to the directory group's
 * {@code grouprelayMembershipDays}. Keycloak is a small stand-in here that answers the follower's three requests (token,
 * admin events, groups) with the shapes Keycloak 26 records; the attribute update's event is Keycloak's
 * {@code UPDATE groups/<id>} with the whole group as representation.
 */
class MembershipDaysFollowerIT {
    static final String GROUP_ID = "5d0e3c1a-6b7f-4d0a-9a43-1f2e3d4c5b6a";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<ObjectNode> EVENTS = new CopyOnWriteArrayList<>();
    static HttpServer keycloak;
    static TestDirectory directory;
    static TestClock clock;

    @BeforeAll
    static void start() throws Exception {
        keycloak = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keycloak.createContext("/", MembershipDaysFollowerIT::answer);
        keycloak.start();
        clock = TestClock.now();
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob")).withClock(clock)
                .following(new KeycloakConfig(URI.create("http://127.0.0.1:" + keycloak.getAddress().getPort()), "demo", "grouprelay",
                        new Secret("client-secret"), Duration.ofSeconds(1)))
                .start();
        Waits.until(Duration.ofSeconds(30), () -> Files.exists(directory.config().dataDir().resolve("keycloak-events.json")));
    }

    @AfterAll
    static void stop() {
        directory.close();
        keycloak.stop(0);
    }

    static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
        Object body;
        if (path.endsWith("/protocol/openid-connect/token")) {
            body = JSON.createObjectNode().put("access_token", "token").put("expires_in", 300);
        } else if (path.equals("/admin/realms/demo/admin-events")) {
            ArrayNode events = JSON.createArrayNode();
            List<ObjectNode> ordered = new java.util.ArrayList<>(EVENTS);
            if (query.contains("direction=desc")) {
                java.util.Collections.reverse(ordered);
            }
            long from = java.util.Arrays.stream(query.split("&")).filter(p -> p.startsWith("dateFrom=")).mapToLong(p -> Long.parseLong(p.substring(9)))
                    .findFirst().orElse(0);
            ordered.stream().filter(e -> e.path("time").asLong() >= from).forEach(events::add);
            body = query.contains("first=0") ? events : JSON.createArrayNode();
        } else if (path.equals("/admin/realms/demo/groups")) {
            ArrayNode groups = JSON.createArrayNode();
            if (query.contains("first=0")) {
                groups.addObject().put("id", GROUP_ID).put("name", "interns").put("subGroupCount", 0);
            }
            body = groups;
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Keycloak's event when an admin saves the group's attributes. */
    static void attributesSaved(String attributesJson) {
        ObjectNode event = JSON.createObjectNode().put("id", "event-" + EVENTS.size()).put("time", System.currentTimeMillis() + EVENTS.size())
                .put("operationType", "UPDATE").put("resourceType", "GROUP").put("resourcePath", "groups/" + GROUP_ID)
                .put("representation", "{\"id\":\"" + GROUP_ID + "\",\"name\":\"interns\",\"path\":\"/interns\",\"subGroupCount\":0,"
                        + "\"attributes\":" + attributesJson + ",\"realmRoles\":[],\"clientRoles\":{},\"access\":{}}");
        EVENTS.add(event);
    }

    static com.unboundid.ldap.sdk.Entry interns(LDAPConnection ldap) throws Exception {
        return ldap.getEntry("cn=interns," + TestDirectory.GROUPS, "*");
    }

    @Test
    void membershipExpirationDaysBecomesTheDirectoryGroupsLifetime() throws Exception {
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "interns", "alice");
            attributesSaved("{\"membershipExpirationDays\":[\"30\"],\"costCentre\":[\"7\"]}");
            Waits.until(Duration.ofSeconds(30), () -> "30".equals(interns(ldap).getAttributeValue("grouprelayMembershipDays")));
            assertThat(interns(ldap).getObjectClassValues()).contains("grouprelayExpiringGroup");

            LdapFixtures.modify(ldap, "interns", ModificationType.ADD, "bob");
            assertThat(interns(ldap).getAttributeValues("grouprelayMemberExpiry")).containsExactly(
                    ExpiryValue.time(clock.instant().plus(Duration.ofDays(30))) + " uid=bob,ou=people,dc=example,dc=org");

            attributesSaved("{\"membershipExpirationDays\":[\"tomorrow\"]}");
            attributesSaved("{\"costCentre\":[\"7\"]}");
            Waits.until(Duration.ofSeconds(30), () -> interns(ldap).getAttributeValue("grouprelayMembershipDays") == null);
            assertThat(interns(ldap).getAttributeValues("grouprelayMemberExpiry")).hasSize(1); // memberships keep their end
        }
    }
}
