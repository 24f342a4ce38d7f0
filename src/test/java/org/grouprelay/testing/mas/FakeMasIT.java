package org.grouprelay.testing.mas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each rule of {@link FakeMas}, proven with a plain JDK HTTP client. */
class FakeMasIT {
    private static final String USERS = "/api/admin/v1/users";
    private static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private FakeMas mas;

    private record Answer(int status, JsonNode body) {
    }

    @BeforeEach
    void start() throws IOException {
        mas = FakeMas.start();
    }

    @AfterEach
    void stop() {
        mas.close();
    }

    @Test
    void grantsAdminTokensToTheAdminClientOnly() throws Exception {
        Answer good = tokenRequest(mas.clientId(), mas.clientSecret(), "urn:mas:admin");
        assertThat(good.status()).isEqualTo(200);
        assertThat(good.body().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(good.body().get("expires_in").asInt()).isEqualTo(300);
        assertThat(good.body().get("scope").asText()).isEqualTo("urn:mas:admin");

        Answer badSecret = tokenRequest(mas.clientId(), "wrong", "urn:mas:admin");
        assertThat(badSecret.status()).isEqualTo(401);
        assertThat(badSecret.body().get("error").asText()).isEqualTo("invalid_client");

        Answer nonAdmin = tokenRequest(mas.nonAdminClientId(), mas.nonAdminClientSecret(), "urn:mas:admin");
        assertThat(nonAdmin.status()).isEqualTo(403);
        assertThat(nonAdmin.body().get("error").asText()).isEqualTo("invalid_scope");

        // credentials in the form instead of Basic
        String form = "grant_type=client_credentials&scope=urn%3Amas%3Aadmin&client_id=" + mas.clientId()
                + "&client_secret=" + mas.clientSecret();
        assertThat(post("/oauth2/token", "application/x-www-form-urlencoded", form, null).status()).isEqualTo(200);
        assertThat(mas.tokensIssued()).isEqualTo(2);
    }

    @Test
    void adminCallsNeedABearerTokenWithTheAdminScope() throws Exception {
        mas.addAccount("alice");
        assertThat(get(USERS + "/by-username/alice", null).status()).isEqualTo(400); // no Authorization header
        assertThat(get(USERS + "/by-username/alice", "Bearer nope").status()).isEqualTo(401);

        String withoutScope = tokenRequest(mas.nonAdminClientId(), mas.nonAdminClientSecret(), null)
                .body().get("access_token").asText();
        Answer scopeless = get(USERS + "/by-username/alice", "Bearer " + withoutScope);
        assertThat(scopeless.status()).isEqualTo(401);
        assertThat(title(scopeless)).isEqualTo("Missing urn:mas:admin scope");

        String token = adminToken();
        assertThat(get(USERS + "/by-username/alice", "Bearer " + token).status()).isEqualTo(200);
        mas.expireTokens();
        Answer expired = get(USERS + "/by-username/alice", "Bearer " + token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(title(expired)).isEqualTo("Access token expired");
    }

    @Test
    void findsUsersByUsername() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();

        Answer found = get(USERS + "/by-username/alice", bearer);
        assertThat(found.status()).isEqualTo(200);
        JsonNode data = found.body().get("data");
        assertThat(data.get("type").asText()).isEqualTo("user");
        assertThat(data.get("id").asText()).isEqualTo(alice.id()).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(data.at("/attributes/username").asText()).isEqualTo("alice");
        assertThat(data.at("/attributes/locked_at").isNull()).isTrue();
        assertThat(data.at("/attributes/deactivated_at").isNull()).isTrue();
        assertThat(data.at("/attributes/admin").asBoolean()).isFalse();
        assertThat(data.at("/links/self").asText()).isEqualTo(USERS + "/" + alice.id());

        Answer missing = get(USERS + "/by-username/bob", bearer);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(title(missing)).isEqualTo("User with username \"bob\" not found");
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    void locksAndUnlocks() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();

        Answer locked = post(USERS + "/" + alice.id() + "/lock", null, "", bearer);
        assertThat(locked.status()).isEqualTo(200);
        assertThat(locked.body().at("/data/attributes/locked_at").isTextual()).isTrue();
        assertThat(mas.account("alice").orElseThrow().locked()).isTrue();

        assertThat(post(USERS + "/" + alice.id() + "/unlock", null, "", bearer).status()).isEqualTo(200);
        assertThat(mas.account("alice").orElseThrow().active()).isTrue();
        assertThat(post(USERS + "/01ARZ3NDEKTSV4RRFFQ69G5FAV/lock", null, "", bearer).status()).isEqualTo(404);
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    void deactivatesWithoutErasureWhenToldToSkipIt() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();

        Answer answer = post(USERS + "/" + alice.id() + "/deactivate", JSON, "{\"skip_erase\": true}", bearer);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().at("/data/attributes/deactivated_at").isTextual()).isTrue();
        assertThat(answer.body().at("/data/attributes/locked_at").isNull()).isTrue(); // deactivating does not lock

        Answer after = get(USERS + "/by-username/alice", bearer);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body().at("/data/attributes/deactivated_at").isTextual()).isTrue();
        assertThat(mas.account("alice").orElseThrow().deactivated()).isTrue();
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    void deactivationWithoutBodyErasesTheAccountForGood() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();

        assertThat(post(USERS + "/" + alice.id() + "/deactivate", null, "", bearer).status()).isEqualTo(200);

        assertThat(get(USERS + "/by-username/alice", bearer).status()).isEqualTo(404);
        assertThat(post(USERS + "/" + alice.id() + "/reactivate", null, "", bearer).status()).isEqualTo(404);
        assertThat(mas.account("alice")).isEmpty();
        assertThat(mas.accounts()).singleElement().satisfies(account -> assertThat(account.erased()).isTrue());
        assertThat(mas.violations()).singleElement().asString().contains("erase requested (or defaulted) for alice");
    }

    @Test
    void deactivationBodiesThatStillErase() throws Exception {
        String bearer = "Bearer " + adminToken();
        // {} : skip_erase defaults to false
        FakeMas.Account a = mas.addAccount("a");
        assertThat(post(USERS + "/" + a.id() + "/deactivate", JSON, "{}", bearer).status()).isEqualTo(200);
        // a member MAS does not know is ignored
        FakeMas.Account b = mas.addAccount("b");
        assertThat(post(USERS + "/" + b.id() + "/deactivate", JSON, "{\"erase\": false}", bearer).status()).isEqualTo(200);
        // a body without Content-Type is not read at all
        FakeMas.Account c = mas.addAccount("c");
        assertThat(post(USERS + "/" + c.id() + "/deactivate", null, "{\"skip_erase\": true}", bearer).status())
                .isEqualTo(200);

        assertThat(mas.accounts()).allSatisfy(account -> assertThat(account.erased()).isTrue());
        assertThat(String.join("\n", mas.violations()))
                .contains("erase requested (or defaulted) for a", "erase requested (or defaulted) for b",
                        "erase requested (or defaulted) for c", "[erase] are unknown to MAS", "without Content-Type");
    }

    @Test
    void refusesBodiesAgainstTheSchema() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();
        String path = USERS + "/" + alice.id() + "/deactivate";

        assertThat(post(path, JSON, "{\"skip_erase\": \"yes\"}", bearer).status()).isEqualTo(422);
        assertThat(post(path, JSON, "{not json", bearer).status()).isEqualTo(400);
        assertThat(post(path, "text/plain", "{\"skip_erase\": true}", bearer).status()).isEqualTo(415);
        assertThat(mas.account("alice").orElseThrow().active()).isTrue();
        assertThat(mas.violations()).hasSize(3);
    }

    @Test
    void reactivationLeavesTheLock() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        mas.lockByHand("alice");
        mas.deactivateByHand("alice");
        String bearer = "Bearer " + adminToken();

        Answer answer = post(USERS + "/" + alice.id() + "/reactivate", null, "", bearer);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().at("/data/attributes/deactivated_at").isNull()).isTrue();
        assertThat(answer.body().at("/data/attributes/locked_at").isTextual()).isTrue();
        FakeMas.Account now = mas.account("alice").orElseThrow();
        assertThat(now.deactivated()).isFalse();
        assertThat(now.locked()).isTrue();
    }

    @Test
    void listsWithFiltersAndCursorPaging() throws Exception {
        for (String name : List.of("ann", "bob", "carl", "dora", "emil")) {
            mas.addAccount(name);
        }
        mas.lockByHand("bob");
        mas.deactivateByHand("dora");
        String bearer = "Bearer " + adminToken();

        Answer active = get(USERS + "?" + q("filter[status]") + "=active", bearer);
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.body().at("/meta/count").asInt()).isEqualTo(3);
        assertThat(usernames(active)).containsExactly("ann", "carl", "emil");

        assertThat(usernames(get(USERS + "?" + q("filter[status]") + "=locked", bearer))).containsExactly("bob");
        assertThat(usernames(get(USERS + "?" + q("filter[search]") + "=OR", bearer))).containsExactly("dora");

        Answer first = get(USERS + "?" + q("page[first]") + "=2", bearer);
        assertThat(usernames(first)).containsExactly("ann", "bob");
        assertThat(first.body().at("/meta/count").asInt()).isEqualTo(5);
        String cursor = first.body().at("/data/1/meta/page/cursor").asText();
        assertThat(first.body().at("/links/next").asText()).contains("page[after]=" + cursor);
        Answer second = get(USERS + "?" + q("page[first]") + "=2&" + q("page[after]") + "=" + cursor, bearer);
        assertThat(usernames(second)).containsExactly("carl", "dora");
        String last = second.body().at("/data/1/id").asText();
        Answer third = get(USERS + "?" + q("page[first]") + "=2&" + q("page[after]") + "=" + last, bearer);
        assertThat(usernames(third)).containsExactly("emil");
        assertThat(third.body().at("/links/next").isMissingNode()).isTrue();
        assertThat(mas.violations()).isEmpty();
    }

    @Test
    void requestsAgainstTheOpenApiDocumentAreRefused() throws Exception {
        String bearer = "Bearer " + adminToken();
        assertThat(get(USERS + "?" + q("filter[status]") + "=gone", bearer).status()).isEqualTo(400);
        assertThat(get(USERS + "?" + q("page[first]") + "=0", bearer).status()).isEqualTo(400);
        assertThat(get(USERS + "?" + q("filter[state]") + "=active", bearer).status()).isEqualTo(400);
        assertThat(post(USERS + "/not-a-ulid/lock", null, "", bearer).status()).isEqualTo(400);
        assertThat(get(USERS + "/by-username/x/lock", bearer).status()).isEqualTo(404);
        assertThat(mas.violations()).hasSize(5);
    }

    @Test
    void failNextAnswersWithoutTouchingState() throws Exception {
        FakeMas.Account alice = mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();
        mas.failNext(2, 503);

        assertThat(post(USERS + "/" + alice.id() + "/lock", null, "", bearer).status()).isEqualTo(503);
        assertThat(tokenRequest(mas.clientId(), mas.clientSecret(), "urn:mas:admin").status()).isEqualTo(200);
        assertThat(post(USERS + "/" + alice.id() + "/lock", null, "", bearer).status()).isEqualTo(503);
        assertThat(mas.account("alice").orElseThrow().locked()).isFalse();
        assertThat(post(USERS + "/" + alice.id() + "/lock", null, "", bearer).status()).isEqualTo(200);
        assertThat(mas.requests()).extracting(FakeMas.Recorded::status).containsExactly(200, 503, 200, 503, 200);
    }

    @Test
    void stopsAndRestartsOnTheSamePortWithTheSameState() throws Exception {
        mas.addAccount("alice");
        String bearer = "Bearer " + adminToken();
        String url = mas.url();

        mas.stop();
        assertThatThrownBy(() -> get(USERS + "/by-username/alice", bearer)).isInstanceOf(ConnectException.class);
        mas.restart();

        assertThat(mas.url()).isEqualTo(url);
        assertThat(get(USERS + "/by-username/alice", bearer).status()).isEqualTo(200);
    }

    private String adminToken() throws Exception {
        return tokenRequest(mas.clientId(), mas.clientSecret(), "urn:mas:admin").body().get("access_token").asText();
    }

    private Answer tokenRequest(String clientId, String secret, String scope) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + enc(scope));
        return post("/oauth2/token", "application/x-www-form-urlencoded", form, basic);
    }

    private Answer get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mas.url() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private Answer post(String path, String contentType, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mas.url() + path))
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), json.readTree(response.body()));
    }

    private static String title(Answer answer) {
        return answer.body().at("/errors/0/title").asText();
    }

    private static List<String> usernames(Answer answer) {
        return answer.body().get("data").findValues("username").stream().map(JsonNode::asText).toList();
    }

    private static String q(String name) {
        return enc(name);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
