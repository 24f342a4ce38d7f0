package org.grouprelay.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configures a realm for grouprelay through Keycloak's admin REST API, idempotently (a second run updates
 * what the first created): the realm (created if missing) with admin events and their representations on,
 * the LDAP user storage provider and its group mapper from the templates in {@code conf/keycloak/}, and the
 * confidential client whose service account may read admin events and the group tree.
 */
public final class KeycloakSetup {
    public static final String LDAP_PROVIDER = "org.keycloak.storage.UserStorageProvider";
    public static final String LDAP_MAPPER = "org.keycloak.storage.ldap.mappers.LDAPStorageMapper";
    /** realm-management roles of the follower's client: admin events, realm settings, the group tree (with query-groups alone Keycloak lists no group: each must pass view-users). */
    public static final List<String> FOLLOWER_ROLES = List.of("view-events", "view-realm", "query-groups", "view-users");

    private final KeycloakHttp http;

    /** What to set up; {@code bindCredential} is the directory password of the Keycloak service account. */
    public record Settings(String realm, String ldapUrl, String bindDn, String bindCredential, String usersDn, String groupsDn,
            String clientId, String clientSecret) {
    }

    /** What was done, one line per step, for the operator. */
    public record Report(String ldapComponentId, String groupMapperId, List<String> steps) {
    }

    public KeycloakSetup(KeycloakHttp http) {
        this.http = http;
    }

    public Report run(Settings settings) throws KeycloakException {
        List<String> steps = new ArrayList<>();
        String realmPath = "/admin/realms/" + KeycloakHttp.encode(settings.realm());
        String realmId = realm(settings.realm(), realmPath, steps);
        ObjectNode events = KeycloakHttp.json().createObjectNode();
        events.put("adminEventsEnabled", true);
        events.put("adminEventsDetailsEnabled", true);
        http.put(realmPath, events);
        steps.add("realm " + settings.realm() + ": admin events with representations on");

        Map<String, String> values = Map.of("REALM_ID", realmId, "LDAP_URL", settings.ldapUrl(), "BIND_DN", settings.bindDn(),
                "BIND_CREDENTIAL", settings.bindCredential(), "USERS_DN", settings.usersDn(), "GROUPS_DN", settings.groupsDn(),
                "CLIENT_ID", settings.clientId(), "CLIENT_SECRET", settings.clientSecret());
        ObjectNode ldap = template("ldap-provider.json", values);
        String ldapId = component(realmPath, realmId, LDAP_PROVIDER, ldap, "LDAP provider", steps);
        ObjectNode mapper = template("group-mapper.json", Map.of("LDAP_COMPONENT_ID", ldapId, "GROUPS_DN", settings.groupsDn()));
        String mapperId = component(realmPath, ldapId, LDAP_MAPPER, mapper, "group mapper", steps);
        client(realmPath, template("admin-events-client.json", values), settings.clientId(), steps);
        return new Report(ldapId, mapperId, List.copyOf(steps));
    }

    private String realm(String realm, String realmPath, List<String> steps) throws KeycloakException {
        try {
            return http.get(realmPath).path("id").asText();
        } catch (KeycloakException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        ObjectNode rep = KeycloakHttp.json().createObjectNode();
        rep.put("realm", realm);
        rep.put("enabled", true);
        http.post("/admin/realms", rep);
        steps.add("realm " + realm + ": created");
        return http.get(realmPath).path("id").asText();
    }

    /** Creates the component named as in {@code rep} below {@code parentId}, or updates the one that exists. */
    private String component(String realmPath, String parentId, String type, ObjectNode rep, String what, List<String> steps)
            throws KeycloakException {
        String name = rep.path("name").asText();
        JsonNode found = http.get(realmPath + "/components?" + KeycloakHttp.query(Map.of("parent", parentId, "type", type, "name", name)));
        if (found.size() > 0) {
            String id = found.get(0).path("id").asText();
            rep.put("id", id);
            http.put(realmPath + "/components/" + KeycloakHttp.encode(id), rep);
            steps.add(what + " '" + name + "': updated (" + id + ")");
            return id;
        }
        String id = http.post(realmPath + "/components", rep)
                .orElseThrow(() -> new KeycloakException("Keycloak created the " + what + " but did not say its id", 0));
        steps.add(what + " '" + name + "': created (" + id + ")");
        return id;
    }

    private void client(String realmPath, ObjectNode rep, String clientId, List<String> steps) throws KeycloakException {
        Optional<String> existing = clientUuid(realmPath, clientId);
        String uuid;
        if (existing.isPresent()) {
            uuid = existing.get();
            rep.put("id", uuid);
            http.put(realmPath + "/clients/" + uuid, rep);
            steps.add("client " + clientId + ": updated (secret from keycloak.clientSecret)");
        } else {
            http.post(realmPath + "/clients", rep);
            uuid = clientUuid(realmPath, clientId).orElseThrow(() -> new KeycloakException("client " + clientId + " was not created", 0));
            steps.add("client " + clientId + ": created, confidential, service account only");
        }
        String user = http.get(realmPath + "/clients/" + uuid + "/service-account-user").path("id").asText();
        String management = clientUuid(realmPath, "realm-management")
                .orElseThrow(() -> new KeycloakException("realm has no realm-management client", 0));
        ArrayNode roles = KeycloakHttp.json().createArrayNode();
        for (String role : FOLLOWER_ROLES) {
            roles.add(http.get(realmPath + "/clients/" + management + "/roles/" + role));
        }
        http.post(realmPath + "/users/" + user + "/role-mappings/clients/" + management, roles);
        steps.add("client " + clientId + ": service account has " + String.join(", ", FOLLOWER_ROLES));
    }

    private Optional<String> clientUuid(String realmPath, String clientId) throws KeycloakException {
        JsonNode found = http.get(realmPath + "/clients?" + KeycloakHttp.query(Map.of("clientId", clientId)));
        return found.size() == 0 ? Optional.empty() : Optional.of(found.get(0).path("id").asText());
    }

    /** A JSON template shipped in {@code conf/keycloak/} (and in the jar), with {@code ${NAME}} replaced by {@code values}. */
    public static ObjectNode template(String name, Map<String, String> values) throws KeycloakException {
        try (InputStream in = KeycloakSetup.class.getResourceAsStream("/keycloak/" + name)) {
            if (in == null) {
                throw new KeycloakException("template keycloak/" + name + " is missing from the jar", 0);
            }
            ObjectNode node = (ObjectNode) KeycloakHttp.json().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            substitute(node, values);
            return node;
        } catch (IOException e) {
            throw new KeycloakException("template keycloak/" + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Replaces placeholders in string values only, so a value can never break the JSON. */
    private static void substitute(JsonNode node, Map<String, String> values) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(field -> {
                JsonNode child = object.get(field);
                if (child.isTextual()) {
                    object.put(field, replace(child.asText(), values));
                } else {
                    substitute(child, values);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, KeycloakHttp.json().getNodeFactory().textNode(replace(array.get(i).asText(), values)));
                } else {
                    substitute(array.get(i), values);
                }
            }
        }
    }

    private static String replace(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
