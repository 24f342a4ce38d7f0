package org.grouprelay.testing.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.grouprelay.testing.scim.ScimClient.Answer;
import org.junit.jupiter.api.Test;

/** Proves the rules of the test SCIM server with a plain HTTP client. */
class ScimServerIT {

    private static String addMembers(List<String> ids) {
        String values = ids.stream().map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(","));
        return """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"add","path":"members","value":[%s]}]}
                """.formatted(values);
    }

    private static String removeMemberFiltered(String id) {
        return """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"members[value eq \\"%s\\"]"}]}
                """.formatted(id);
    }

    /** The shape Entra ID and AWS use: path without a filter, the members to remove as the value. */
    private static String removeMemberUnfiltered(String id) {
        return """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"members","value":[{"value":"%s"}]}]}
                """.formatted(id);
    }

    private static String putGroup(String displayName, List<String> ids) {
        String values = ids.stream().map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(","));
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"%s","members":[%s]}
                """.formatted(displayName, values);
    }

    @Test
    void usersAreCreatedFoundAndUniqueByUserName() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            String alice = client.createUser("alice");
            client.createUser("bob");

            Answer duplicate = client.post("/Users", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ALICE"}""");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.json().path("scimType").asText()).isEqualTo("uniqueness");

            Answer found = client.filter("/Users", "userName eq \"Alice\"");
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.json().path("totalResults").asInt()).isEqualTo(1);
            assertThat(found.json().path("Resources").get(0).path("id").asText()).isEqualTo(alice);
            assertThat(client.filter("/Users", "externalId eq \"ext-bob\"").json().path("totalResults").asInt())
                    .isEqualTo(1);

            Answer page = client.get("/Users?startIndex=2&count=1");
            assertThat(page.json().path("totalResults").asInt()).isEqualTo(2);
            assertThat(page.json().path("Resources").size()).isEqualTo(1);
            assertThat(page.json().path("startIndex").asInt()).isEqualTo(2);

            assertThat(scim.users()).extracting(ScimServer.ScimUser::userName).containsExactly("alice", "bob");
            assertThat(scim.users().get(0).emails()).containsExactly("alice@example.org");
            assertThat(scim.requests().get(2).path()).isEqualTo("/Users");
            assertThat(scim.requests().get(2).status()).isEqualTo(409);
            assertThat(scim.requests().get(3).query()).isEqualTo("filter=userName eq \"Alice\"");
        }
    }

    @Test
    void patchAddsMembersOnceAndFilteredRemoveTakesOne() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            String alice = client.createUser("alice");
            String bob = client.createUser("bob");
            String staff = client.createGroup("staff");
            assertThat(client.post("/Groups", ScimClient.group("STAFF")).status()).isEqualTo(409);

            assertThat(client.patch("/Groups/" + staff, addMembers(List.of(alice, bob))).status()).isIn(200, 204);
            assertThat(client.patch("/Groups/" + staff, addMembers(List.of(alice, bob))).status()).isIn(200, 204);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).containsExactly(alice, bob);
            assertThat(client.get("/Groups/" + staff).json().path("members").size()).isEqualTo(2);

            Answer unknown = client.patch("/Groups/" + staff, addMembers(List.of("no-such-user")));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().path("scimType").asText()).isEqualTo("invalidValue");

            assertThat(client.patch("/Groups/" + staff, removeMemberFiltered(alice)).status()).isIn(200, 204);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).containsExactly(bob);
            assertThat(scim.violations()).isEmpty();

            assertThat(client.delete("/Users/" + bob).status()).isEqualTo(204);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).isEmpty();
        }
    }

    @Test
    void strictUnfilteredRemoveEmptiesTheGroupAndIsAViolation() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            String alice = client.createUser("alice");
            String bob = client.createUser("bob");
            String staff = client.createGroup("staff");
            client.patch("/Groups/" + staff, addMembers(List.of(alice, bob)));

            assertThat(client.patch("/Groups/" + staff, removeMemberUnfiltered(alice)).status()).isIn(200, 204);

            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).isEmpty();
            assertThat(scim.violations()).singleElement().asString()
                    .contains("unfiltered remove on members empties the group").contains("/Groups/" + staff);
        }
    }

    @Test
    void noPatchRefusesPatchAndTakesPut() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.NO_PATCH)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            Answer config = client.get("/ServiceProviderConfig");
            assertThat(config.json().path("patch").path("supported").asBoolean()).isFalse();
            String alice = client.createUser("alice");
            String bob = client.createUser("bob");
            String staff = client.createGroup("staff");

            Answer patch = client.patch("/Groups/" + staff, addMembers(List.of(alice)));
            assertThat(patch.status()).isEqualTo(501);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).isEmpty();
            assertThat(scim.violations()).singleElement().asString()
                    .contains("PATCH sent although patch.supported is false");

            Answer put = client.put("/Groups/" + staff, putGroup("staff", List.of(alice, bob)));
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.json().path("members").size()).isEqualTo(2);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).containsExactly(alice, bob);
        }
    }

    @Test
    void awsLimitsMembersPerPatchAndHidesMembers() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.AWS)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            List<String> ids = IntStream.rangeClosed(1, 101).mapToObj(i -> {
                try {
                    return client.createUser("user" + i);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            String staff = client.createGroup("staff");
            assertThat(client.post("/Groups", ScimClient.group("staff")).status()).isEqualTo(409);
            assertThat(client.post("/Users", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user1"}""").status())
                    .isEqualTo(409);

            Answer tooMany = client.patch("/Groups/" + staff, addMembers(ids));
            assertThat(tooMany.status()).isEqualTo(400);
            assertThat(tooMany.json().path("scimType").asText()).isEqualTo("tooMany");
            assertThat(tooMany.json().path("detail").asText()).contains("at most 100");
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).isEmpty();
            assertThat(scim.violations()).singleElement().asString().contains("more than 100 member values");

            assertThat(client.patch("/Groups/" + staff, addMembers(ids.subList(0, 100))).status()).isEqualTo(204);
            assertThat(client.patch("/Groups/" + staff, removeMemberUnfiltered(ids.get(0))).status()).isIn(200, 204);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).hasSize(99);

            Answer get = client.get("/Groups/" + staff + "?attributes=members");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.json().has("members")).isFalse();
            assertThat(get.header("ETag")).isNull();
            Answer filtered = client.filter("/Groups", "displayName eq \"staff\"");
            assertThat(filtered.json().path("Resources").get(0).path("displayName").asText()).isEqualTo("staff");
            assertThat(filtered.json().path("Resources").get(0).has("members")).isFalse();
            assertThat(scim.violations()).hasSize(1);
        }
    }

    @Test
    void injectedFailuresAnswerWithoutTouchingTheStore() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            scim.failNext(1, 429, OptionalInt.of(2));

            assertThat(client.get("/ServiceProviderConfig").status()).isEqualTo(200);
            Answer throttled = client.post("/Users", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice"}""");
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).isEqualTo("2");
            assertThat(throttled.json().path("schemas").get(0).asText()).isEqualTo(ScimErrors.ERROR_SCHEMA);
            assertThat(scim.users()).isEmpty();

            client.createUser("alice");
            assertThat(scim.users()).hasSize(1);
            assertThat(scim.requests()).extracting(ScimServer.Recorded::status).containsExactly(200, 429, 201);
            scim.clearRequests();
            assertThat(scim.requests()).isEmpty();
        }
    }

    @Test
    void requestsWithoutTheTokenAreUnauthorized() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            Answer anonymous = new ScimClient(scim.baseUrl(), null).get("/Users");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.json().path("status").asText()).isEqualTo("401");
            assertThat(new ScimClient(scim.baseUrl(), "wrong").get("/Users").status()).isEqualTo(401);
            Answer config = new ScimClient(scim.baseUrl(), null).get("/ServiceProviderConfig");
            assertThat(config.status()).isEqualTo(200);
            assertThat(config.json().path("bulk").path("maxOperations").asInt()).isEqualTo(1000);
            assertThat(config.json().path("filter").path("maxResults").asInt()).isEqualTo(200);
            assertThat(config.json().path("etag").path("supported").asBoolean()).isTrue();
        }
    }

    @Test
    void stopRefusesConnectionsAndRestartKeepsPortAndStore() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            String baseUrl = scim.baseUrl();
            client.createUser("alice");

            scim.stop();
            assertThatThrownBy(() -> new ScimClient(baseUrl, scim.token()).get("/Users"))
                    .isInstanceOf(ConnectException.class);

            scim.restart();
            assertThat(scim.baseUrl()).isEqualTo(baseUrl);
            Answer users = new ScimClient(baseUrl, scim.token()).get("/Users");
            assertThat(users.status()).isEqualTo(200);
            assertThat(users.json().path("totalResults").asInt()).isEqualTo(1);
        }
    }

    @Test
    void staleIfMatchIsRefusedOnStrict() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            String alice = client.createUser("alice");
            String staff = client.createGroup("staff");
            Answer read = client.get("/Groups/" + staff);
            assertThat(read.header("ETag")).isEqualTo("W/\"1\"");
            assertThat(read.json().path("meta").path("version").asText()).isEqualTo("W/\"1\"");

            Answer changed = client.send("PATCH", "/Groups/" + staff, addMembers(List.of(alice)),
                    Map.of("If-Match", "W/\"1\""));
            assertThat(changed.status()).isIn(200, 204);
            assertThat(client.get("/Groups/" + staff).header("ETag")).isEqualTo("W/\"2\"");

            Answer stale = client.send("PUT", "/Groups/" + staff, putGroup("staff", List.of()),
                    Map.of("If-Match", "W/\"1\""));
            assertThat(stale.status()).isEqualTo(412);
            Answer stalePatch = client.send("PATCH", "/Groups/" + staff, removeMemberFiltered(alice),
                    Map.of("If-Match", "W/\"1\""));
            assertThat(stalePatch.status()).isEqualTo(412);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).containsExactly(alice);
        }
    }

    @Test
    void bulkCreatesUsersOnStrict() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            Answer bulk = client.post("/Bulk", """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                     "Operations":[
                      {"method":"POST","path":"/Users","bulkId":"a",
                       "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice"}},
                      {"method":"POST","path":"/Users","bulkId":"b",
                       "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob"}}]}
                    """);
            assertThat(bulk.status()).isEqualTo(200);
            assertThat(scim.users()).extracting(ScimServer.ScimUser::userName).containsExactlyInAnyOrder("alice", "bob");
        }
    }

    @Test
    void bulkPatchFollowsTheSameRules() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            String alice = client.createUser("alice");
            String bob = client.createUser("bob");
            String staff = client.createGroup("staff");
            client.patch("/Groups/" + staff, addMembers(List.of(alice, bob)));

            Answer bulk = client.post("/Bulk", """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                     "Operations":[{"method":"PATCH","path":"/Groups/%s","data":%s}]}
                    """.formatted(staff, removeMemberUnfiltered(alice)));

            assertThat(bulk.status()).isEqualTo(200);
            assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).isEmpty();
            assertThat(scim.violations()).singleElement().asString()
                    .contains("(in /Bulk)").contains("unfiltered remove on members empties the group");
        }
    }

    @Test
    void restartWorksWhileAClientHoldsAnOpenConnection() throws IOException {
        try (ScimServer scim = ScimServer.start(ScimProfile.AWS)) {
            ScimClient client = new ScimClient(scim.baseUrl(), scim.token());
            for (int round = 0; round < 3; round++) {
                client.createUser("user" + round);
                scim.stop();
                assertThatThrownBy(() -> client.get("/Users")).isInstanceOf(IOException.class);
                scim.restart();
                assertThat(client.get("/Users").json().path("totalResults").asInt()).isEqualTo(round + 1);
            }
            assertThat(scim.requests()).extracting(ScimServer.Recorded::method)
                    .containsExactly("POST", "GET", "POST", "GET", "POST", "GET");
        }
    }
}
