package org.grouprelay.testing.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.grouprelay.testing.graph.FakeGraph.Group;
import org.grouprelay.testing.graph.FakeGraph.User;
import org.grouprelay.testing.graph.GraphTestClient.Answer;
import org.junit.jupiter.api.Test;

/** Proves the rules of the fake Microsoft Graph with a plain HTTP client. */
class FakeGraphIT {
    private static String ref(String id) {
        return "https://graph.microsoft.com/v1.0/directoryObjects/" + id;
    }

    private static String bind(List<User> users) {
        return "{\"members@odata.bind\":[" + users.stream().map(user -> "\"" + ref(user.id()) + "\"")
                .collect(Collectors.joining(",")) + "]}";
    }

    private static List<User> users(FakeGraph graph, int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> graph.addUser(prefix + i, prefix + i + "@example.org")).toList();
    }

    @Test
    void tokensAreIssuedForTheRightSecretAndScopeOnly() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            GraphTestClient client = new GraphTestClient(graph);
            Answer good = client.token(graph.clientSecret(), "https://graph.microsoft.com/.default");
            assertThat(good.status()).isEqualTo(200);
            assertThat(good.json().path("token_type").asText()).isEqualTo("Bearer");
            assertThat(good.json().path("expires_in").asInt()).isEqualTo(3599);
            assertThat(good.json().path("access_token").asText()).isNotBlank();
            Answer badSecret = client.token("wrong", "https://graph.microsoft.com/.default");
            assertThat(badSecret.status()).isEqualTo(401);
            assertThat(badSecret.json().path("error").asText()).isEqualTo("invalid_client");
            assertThat(badSecret.json().path("error_description").asText()).startsWith("AADSTS7000215: Invalid client secret");
            Answer badScope = client.token(graph.clientSecret(), "https://graph.microsoft.com/User.Read");
            assertThat(badScope.status()).isEqualTo(400);
            assertThat(badScope.json().path("error").asText()).isEqualTo("invalid_scope");
            assertThat(graph.tokensIssued()).isEqualTo(1);
            assertThat(graph.requests()).extracting(FakeGraph.Recorded::status).containsExactly(200, 401, 400);
            assertThat(graph.requests().get(0).path()).isEqualTo("/" + graph.tenantId() + "/oauth2/v2.0/token");
        }
    }

    @Test
    void unknownTenantIsRefused() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(graph.url() + "/other-tenant/oauth2/v2.0/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("invalid_request").contains("AADSTS90002");
        }
    }

    @Test
    void graphNeedsAValidTokenOfThisFake() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            GraphTestClient anonymous = new GraphTestClient(graph);
            Answer none = anonymous.get("/users");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.errorCode()).isEqualTo("InvalidAuthenticationToken");
            assertThat(graph.violations()).singleElement().asString().contains("no bearer token");

            GraphTestClient client = new GraphTestClient(graph).signIn();
            assertThat(client.get("/users").status()).isEqualTo(200);
            graph.expireTokens();
            Answer expired = client.get("/users");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.errorCode()).isEqualTo("InvalidAuthenticationToken");
            assertThat(client.signIn().get("/users").status()).isEqualTo(200);
            assertThat(graph.tokensIssued()).isEqualTo(2);
            assertThat(graph.violations()).hasSize(1);
        }
    }

    @Test
    void usersAreFoundByMailOtherMailsAndPrincipalNameIgnoringCase() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User obrien = graph.addUser("Pat O'Brien", "pat.obrien@example.org", List.of("o'brien@old.example.org"),
                    "pobrien@contoso.onmicrosoft.com");
            graph.addUser("Bob", "bob@example.org");
            GraphTestClient client = new GraphTestClient(graph).signIn();

            assertThat(ids(client.get("/users?$filter=" + GraphTestClient.enc("mail eq 'PAT.OBRIEN@example.org'")
                    + "&$select=id,displayName,mail,userPrincipalName,userType"))).containsExactly(obrien.id());
            assertThat(ids(client.get("/users?$filter=" + GraphTestClient.enc("otherMails/any(m:m eq 'O''Brien@old.example.org')"))))
                    .containsExactly(obrien.id());
            assertThat(ids(client.get("/users?$filter=" + GraphTestClient.enc("userPrincipalName eq 'pobrien@CONTOSO.onmicrosoft.com'"))))
                    .containsExactly(obrien.id());
            assertThat(ids(client.get("/users?$filter=" + GraphTestClient.enc(
                    "mail eq 'o''brien@old.example.org' or otherMails/any(x:x eq 'o''brien@old.example.org')"))))
                    .containsExactly(obrien.id());
            assertThat(ids(client.get("/users?$filter=" + GraphTestClient.enc("mail eq 'nobody@example.org'")))).isEmpty();

            Answer found = client.get("/users?$filter=" + GraphTestClient.enc("mail eq 'bob@example.org'"));
            JsonNode bob = found.json().path("value").get(0);
            assertThat(bob.path("displayName").asText()).isEqualTo("Bob");
            assertThat(bob.path("userPrincipalName").asText()).isEqualTo("bob@example.org");
            assertThat(bob.path("userType").asText()).isEqualTo("Member");
            assertThat(graph.violations()).isEmpty();

            Answer unquoted = client.get("/users?$filter=" + GraphTestClient.enc("mail eq 'o'brien@old.example.org'"));
            assertThat(unquoted.status()).isEqualTo(400);
            assertThat(client.get("/users?$filter=" + GraphTestClient.enc("startswith(mail,'pat')")).status()).isEqualTo(400);
            assertThat(graph.violations()).hasSize(2).allMatch(violation -> violation.contains("invalid $filter"));
        }
    }

    @Test
    void oneMemberIsAddedOnceAndRemovedOnce() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User alice = graph.addUser("Alice", "alice@example.org");
            Group staff = graph.addGroup("staff");
            GraphTestClient client = new GraphTestClient(graph).signIn();
            String body = "{\"@odata.id\":\"" + ref(alice.id()) + "\"}";

            assertThat(client.call("POST", "/groups/" + staff.id() + "/members/$ref", body).status()).isEqualTo(204);
            Answer again = client.call("POST", "/groups/" + staff.id() + "/members/$ref", body);
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.json().path("error").path("message").asText()).isEqualTo(
                    "One or more added object references already exist for the following modified properties: 'members'.");
            assertThat(graph.members(staff.id())).containsExactly(alice.id());

            assertThat(client.call("DELETE", "/groups/" + staff.id() + "/members/" + alice.id() + "/$ref", null).status())
                    .isEqualTo(204);
            assertThat(client.call("DELETE", "/groups/" + staff.id() + "/members/" + alice.id() + "/$ref", null).status())
                    .isEqualTo(404);
            assertThat(graph.members(staff.id())).isEmpty();

            assertThat(client.get("/groups/" + staff.id()).json().path("displayName").asText()).isEqualTo("staff");
            Answer missing = client.get("/groups/00000000-0000-0000-0000-000000000000");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.errorCode()).isEqualTo("Request_ResourceNotFound");
            assertThat(graph.violations()).isEmpty();

            Answer badRef = client.call("POST", "/groups/" + staff.id() + "/members/$ref",
                    "{\"@odata.id\":\"" + alice.id() + "\"}");
            assertThat(badRef.status()).isEqualTo(400);
            assertThat(graph.violations()).singleElement().asString().contains("is not https://graph.microsoft.com");
        }
    }

    @Test
    void patchAddsAtMostTwentyAndAllOrNothing() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            List<User> twentyOne = users(graph, 21, "u");
            Group staff = graph.addGroup("staff");
            GraphTestClient client = new GraphTestClient(graph).signIn();

            Answer tooMany = client.call("PATCH", "/groups/" + staff.id(), bind(twentyOne));
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(graph.members(staff.id())).isEmpty();
            assertThat(graph.violations()).singleElement().asString().contains("21 references");

            assertThat(client.call("PATCH", "/groups/" + staff.id(), bind(twentyOne.subList(0, 20))).status())
                    .isEqualTo(204);
            assertThat(graph.members(staff.id())).hasSize(20);

            User newcomer = twentyOne.get(20);
            Answer oneExisting = client.call("PATCH", "/groups/" + staff.id(), bind(List.of(newcomer, twentyOne.get(3))));
            assertThat(oneExisting.status()).isEqualTo(400);
            assertThat(oneExisting.json().path("error").path("message").asText()).contains("already exist");
            assertThat(graph.members(staff.id())).hasSize(20).doesNotContain(newcomer.id());

            Answer unknown = client.call("PATCH", "/groups/" + staff.id(),
                    "{\"members@odata.bind\":[\"" + ref(newcomer.id()) + "\",\"" + ref("11111111-2222-3333-4444-555555555555") + "\"]}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("error").path("message").asText()).contains("does not exist");
            assertThat(graph.members(staff.id())).doesNotContain(newcomer.id());

            assertThat(client.call("PATCH", "/groups/" + staff.id(), bind(List.of(newcomer))).status()).isEqualTo(204);
            assertThat(graph.members(staff.id())).hasSize(21);
            assertThat(graph.violations()).hasSize(1);
        }
    }

    @Test
    void membersArePagedWithNextLinks() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            Group big = graph.addGroup("big");
            users(graph, 250, "m").forEach(user -> graph.addMemberByHand(big.id(), user.id()));
            GraphTestClient client = new GraphTestClient(graph).signIn();

            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String next = "/groups/" + big.id() + "/members/microsoft.graph.user?$top=100&$select=id,mail";
            while (next != null) {
                Answer page = client.get(next);
                assertThat(page.status()).isEqualTo(200);
                page.json().path("value").forEach(member -> {
                    assertThat(member.path("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
                    seen.add(member.path("id").asText());
                });
                pageSizes.add(page.json().path("value").size());
                next = page.json().hasNonNull("@odata.nextLink") ? page.json().get("@odata.nextLink").asText() : null;
                if (next != null) {
                    assertThat(next).startsWith(graph.url() + "/v1.0/").contains("$skiptoken=");
                }
            }
            assertThat(pageSizes).containsExactly(100, 100, 50);
            assertThat(seen).containsExactlyElementsOf(graph.members(big.id()));

            assertThat(client.get("/groups/" + big.id() + "/members").json().path("value").size()).isEqualTo(100);
            assertThat(client.get("/groups/" + big.id() + "/members?$top=1000").status()).isEqualTo(400);
        }
    }

    @Test
    void invitationCreatesAGuestThatCanBecomeAMember() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            GraphTestClient client = new GraphTestClient(graph).signIn();
            Answer invited = client.call("POST", "/invitations", """
                    {"invitedUserEmailAddress":"carol@partner.example","inviteRedirectUrl":"https://myapps.microsoft.com",
                     "sendInvitationMessage":false,"invitedUserDisplayName":"Carol"}""");
            assertThat(invited.status()).isEqualTo(201);
            assertThat(invited.json().path("status").asText()).isEqualTo("PendingAcceptance");
            assertThat(invited.json().path("inviteRedeemUrl").asText()).startsWith("https://");
            String userId = invited.json().path("invitedUser").path("id").asText();

            User carol = graph.userByMail("CAROL@partner.example").orElseThrow();
            assertThat(carol.id()).isEqualTo(userId);
            assertThat(carol.userType()).isEqualTo("Guest");
            assertThat(carol.userPrincipalName()).isEqualTo("carol_partner.example#EXT#@" + graph.tenantDomain());
            assertThat(graph.invitations()).containsExactly(
                    new FakeGraph.Invitation("carol@partner.example", "https://myapps.microsoft.com", false, userId));

            assertThat(client.call("POST", "/invitations", "{\"invitedUserEmailAddress\":\"dan@partner.example\"}").status())
                    .isEqualTo(400);
            assertThat(graph.invitations()).hasSize(1);

            assertThat(client.call("PATCH", "/users/" + userId, "{\"userType\":\"Member\"}").status()).isEqualTo(204);
            assertThat(graph.user(userId).orElseThrow().userType()).isEqualTo("Member");
            assertThat(client.get("/users/" + userId).json().path("userType").asText()).isEqualTo("Member");
        }
    }

    @Test
    void batchRunsEachStepOnItsOwnAndRefusesMoreThanTwenty() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User alice = graph.addUser("Alice", "alice@example.org");
            User bob = graph.addUser("Bob", "bob@example.org");
            Group staff = graph.addGroup("staff");
            graph.addMemberByHand(staff.id(), bob.id());
            GraphTestClient client = new GraphTestClient(graph).signIn();

            Answer batch = client.call("POST", "/$batch", """
                    {"requests":[
                      {"id":"1","method":"POST","url":"/groups/%1$s/members/$ref","headers":{"Content-Type":"application/json"},
                       "body":{"@odata.id":"%2$s"}},
                      {"id":"2","method":"POST","url":"/groups/%1$s/members/$ref","headers":{"Content-Type":"application/json"},
                       "body":{"@odata.id":"%3$s"}},
                      {"id":"3","method":"GET","url":"/users?$filter=mail eq 'alice@example.org'"}
                    ]}""".formatted(staff.id(), ref(alice.id()), ref(bob.id())));
            assertThat(batch.status()).isEqualTo(200);
            JsonNode responses = batch.json().path("responses");
            assertThat(responses.get(0).path("status").asInt()).isEqualTo(204);
            assertThat(responses.get(1).path("status").asInt()).isEqualTo(400);
            assertThat(responses.get(1).path("body").path("error").path("message").asText()).contains("already exist");
            assertThat(responses.get(2).path("body").path("value").get(0).path("id").asText()).isEqualTo(alice.id());
            assertThat(graph.members(staff.id())).containsExactlyInAnyOrder(alice.id(), bob.id());
            assertThat(graph.batchSteps()).extracting(FakeGraph.Recorded::status).containsExactly(204, 400, 200);

            String steps = IntStream.rangeClosed(1, 21)
                    .mapToObj(i -> "{\"id\":\"" + i + "\",\"method\":\"GET\",\"url\":\"/groups/" + staff.id() + "\"}")
                    .collect(Collectors.joining(","));
            Answer tooMany = client.call("POST", "/$batch", "{\"requests\":[" + steps + "]}");
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(graph.violations()).singleElement().asString().contains("21 requests in one $batch");
        }
    }

    @Test
    void throttledRequestsAnswer429WithRetryAfterAlsoInsideABatch() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            Group staff = graph.addGroup("staff");
            GraphTestClient client = new GraphTestClient(graph).signIn();

            graph.throttleNext(1, 7);
            Answer throttled = client.get("/groups/" + staff.id());
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).isEqualTo("7");
            assertThat(throttled.errorCode()).isEqualTo("TooManyRequests");
            assertThat(client.get("/groups/" + staff.id()).status()).isEqualTo(200);

            graph.throttleNext(1, 3);
            Answer batch = client.call("POST", "/$batch", """
                    {"requests":[{"id":"a","method":"GET","url":"/groups/%1$s"},{"id":"b","method":"GET","url":"/groups/%1$s"}]}"""
                    .formatted(staff.id()));
            assertThat(batch.status()).isEqualTo(200);
            JsonNode first = batch.json().path("responses").get(0);
            assertThat(first.path("status").asInt()).isEqualTo(429);
            assertThat(first.path("headers").path("Retry-After").asText()).isEqualTo("3");
            assertThat(first.path("body").path("error").path("code").asText()).isEqualTo("TooManyRequests");
            assertThat(batch.json().path("responses").get(1).path("status").asInt()).isEqualTo(200);

            graph.failNext(1, 503);
            assertThat(client.get("/groups/" + staff.id()).status()).isEqualTo(503);
            assertThat(client.get("/groups/" + staff.id()).status()).isEqualTo(200);
            assertThat(graph.violations()).isEmpty();
        }
    }

    @Test
    void aNewGroupMissesReplicationAtFirst() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User alice = graph.addUser("Alice", "alice@example.org");
            Group fresh = graph.addNewGroup("fresh", 1);
            GraphTestClient client = new GraphTestClient(graph).signIn();
            String body = "{\"@odata.id\":\"" + ref(alice.id()) + "\"}";
            Answer first = client.call("POST", "/groups/" + fresh.id() + "/members/$ref", body);
            assertThat(first.status()).isEqualTo(400);
            assertThat(first.json().path("error").path("message").asText()).contains("do not exist");
            assertThat(client.call("POST", "/groups/" + fresh.id() + "/members/$ref", body).status()).isEqualTo(204);
        }
    }

    @Test
    void restartKeepsPortStateAndTokens() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User alice = graph.addUser("Alice", "alice@example.org");
            Group staff = graph.addGroup("staff");
            GraphTestClient client = new GraphTestClient(graph).signIn();
            assertThat(client.call("PATCH", "/groups/" + staff.id(), bind(List.of(alice))).status()).isEqualTo(204);
            int port = graph.port();

            graph.stop();
            assertThat(graph.running()).isFalse();
            assertThatThrownBy(() -> new GraphTestClient(graph).get("/groups/" + staff.id()))
                    .isInstanceOf(UncheckedIOException.class);

            graph.restart();
            assertThat(graph.port()).isEqualTo(port);
            GraphTestClient again = new GraphTestClient(graph).signIn();
            Answer members = again.get("/groups/" + staff.id() + "/members");
            assertThat(members.status()).isEqualTo(200);
            assertThat(ids(members)).containsExactly(alice.id());
            assertThat(graph.members(staff.id())).isEqualTo(Set.of(alice.id()));
        }
    }

    @Test
    void referencesMayNameUsersOrTheFakesOwnUrlAndFiltersMayUseIn() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User alice = graph.addUser("Alice", "alice@example.org");
            User bob = graph.addUser("Bob", "bob@example.org");
            Group staff = graph.addGroup("staff");
            GraphTestClient client = new GraphTestClient(graph).signIn();
            assertThat(client.call("PATCH", "/groups/" + staff.id(), "{\"members@odata.bind\":[\""
                    + "https://graph.microsoft.com/v1.0/users/" + alice.id() + "\",\""
                    + graph.url() + "/v1.0/directoryObjects/" + bob.id() + "\"]}").status()).isEqualTo(204);
            assertThat(graph.members(staff.id())).containsExactly(alice.id(), bob.id());

            assertThat(ids(client.get("/users?$filter=" + GraphTestClient.enc("mail in ('ALICE@example.org','bob@example.org')"))))
                    .containsExactly(alice.id(), bob.id());
            assertThat(graph.violations()).isEmpty();
        }
    }

    @Test
    void batchStepWithABodyButNoContentTypeIsRefused() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            User alice = graph.addUser("Alice", "alice@example.org");
            Group staff = graph.addGroup("staff");
            GraphTestClient client = new GraphTestClient(graph).signIn();
            Answer batch = client.call("POST", "/$batch", """
                    {"requests":[{"id":"1","method":"POST","url":"/groups/%s/members/$ref","body":{"@odata.id":"%s"}}]}"""
                    .formatted(staff.id(), ref(alice.id())));
            assertThat(batch.status()).isEqualTo(200);
            assertThat(batch.json().path("responses").get(0).path("status").asInt()).isEqualTo(400);
            assertThat(graph.members(staff.id())).isEmpty();
            assertThat(graph.violations()).singleElement().asString().contains("Content-Type");
        }
    }

    private static List<String> ids(Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().path("value").forEach(node -> ids.add(node.path("id").asText()));
        return ids;
    }
}
