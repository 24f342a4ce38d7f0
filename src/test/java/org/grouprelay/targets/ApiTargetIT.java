package org.grouprelay.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.config.Secret;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.mapping.UserMapper;
import org.grouprelay.targets.seafile.api.ApiSettings;
import org.grouprelay.targets.seafile.api.ApiTarget;
import org.grouprelay.testing.FakeSeafile;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.SeafileState;
import org.grouprelay.testing.TempFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** What only the API target has to get right: the admin API's encoding, names, throttling, faults, TLS and credentials. */
class ApiTargetIT {
    static final GroupRef DEVS = TargetBehaviour.DEVS;
    @RegisterExtension
    static final PerClass<FakeSeafile> SEAFILE = PerClass.of(FakeSeafile::start).beforeEach(FakeSeafile::calm)
            .beforeEach(ApiTargetIT::accounts);
    FakeSeafile seafile;
    Path dataDir;

    /** Only the admin, alice, bob and carol have accounts. */
    static void accounts(FakeSeafile seafile) {
        seafile.state().clear();
        for (String user : List.of(FakeSeafile.ADMIN, "alice@example.org", "bob@example.org", "carol@example.org")) {
            seafile.state().addUser(user, null);
        }
    }

    @BeforeEach
    void dataDir() throws IOException {
        seafile = SEAFILE.get();
        dataDir = Files.createTempDirectory("grouprelay-api-");
    }

    @AfterEach
    void clean() {
        TempFiles.deleteRecursively(dataDir);
    }

    ApiSettings settings(Duration timeout, int rate) {
        return new ApiSettings(seafile.url(), Optional.of(new Secret(FakeSeafile.TOKEN)), Optional.empty(), Optional.empty(), timeout, rate,
                Optional.empty(), dataDir.resolve(ApiSettings.LINK_FILE));
    }

    ApiTarget target() {
        return target(settings(Duration.ofSeconds(5), 1000), false);
    }

    ApiTarget target(ApiSettings settings, boolean adopt) {
        return new ApiTarget(settings, FakeSeafile.ADMIN, adopt, Clock.systemUTC());
    }

    static TargetException failure(Target target, TargetBehaviour.VoidWork work) {
        try {
            TargetBehaviour.run(target, work);
        } catch (TargetException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a TargetException", e);
        }
        throw new AssertionError("expected a TargetException, but the work succeeded");
    }

    @Test
    void membersAreAddedFormEncodedInOneRequestAndTheFakeRefusesJson() throws Exception {
        try (ApiTarget target = target()) {
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            seafile.calm();
            TargetBehaviour.run(target, s -> s.addMembers(id, List.of("alice@example.org", "bob@example.org", "carol@example.org")));
            assertThat(seafile.calls()).singleElement().satisfies(call -> {
                assertThat(call.method()).isEqualTo("POST");
                assertThat(call.contentType()).startsWith("application/x-www-form-urlencoded");
                assertThat(call.body()).isEqualTo("email=alice%40example.org&email=bob%40example.org&email=carol%40example.org");
            });
            assertThat(seafile.state().members(Long.parseLong(id))).containsExactly(FakeSeafile.ADMIN, "alice@example.org", "bob@example.org", "carol@example.org");
        }
        long other = seafile.state().createByHand("other", FakeSeafile.ADMIN);
        OkHttpClient client = new OkHttpClient();
        Request json = new Request.Builder().url(seafile.url() + "/api/v2.1/admin/groups/" + other + "/members/")
                .header("Authorization", "Token " + FakeSeafile.TOKEN)
                .post(RequestBody.create("{\"email\":\"alice@example.org\"}", MediaType.get("application/json"))).build();
        try (Response response = client.newCall(json).execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.body().string()).contains("Email invalid.");
        }
    }

    @Test
    void aRelayedMemberChangeCostsOneRequestOnceTheGroupHasBeenSeen() throws Exception {
        try (ApiTarget target = target()) {
            UserMapper mapper = new UserMapper(List.of(new MappingRule(Strategy.EMAIL, null, "mail")), target.users());
            UserRef alice = TargetBehaviour.user("alice", "alice@example.org");
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            mapper.find(List.of(alice)); // the account index is read once
            for (int change = 0; change < 3; change++) {
                long before = seafile.requestCount();
                TargetBehaviour.run(target, s -> { // as the relay applies a member add
                    Map<UserRef, String> ids = mapper.find(List.of(alice));
                    s.addMembers(s.ensureGroup(DEVS).groupId(), ids.values());
                });
                assertThat(seafile.requestCount() - before).isEqualTo(1);
                before = seafile.requestCount();
                TargetBehaviour.run(target, s -> { // and a member removal
                    Map<UserRef, String> ids = mapper.find(List.of(alice));
                    s.removeMembers(s.linkedGroup(DEVS).orElseThrow(), ids.values());
                });
                assertThat(seafile.requestCount() - before).isEqualTo(1);
            }
            assertThat(seafile.state().members(Long.parseLong(id))).containsExactly(FakeSeafile.ADMIN);
        }
    }

    @Test
    void aLargeAddThatFailsHalfwayIsUndoneByRollback() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 150).mapToObj(i -> "many" + i + "@example.org").toList();
        many.forEach(u -> seafile.state().addUser(u, null));
        try (ApiTarget target = target()) {
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            seafile.passThenFail(1, 1, 500); // the first 100 are added, the next request fails
            TargetException e = failure(target, s -> s.addMembers(id, many));
            assertThat(e.isTransient()).isTrue();
            assertThat(seafile.state().members(Long.parseLong(id))).containsExactly(FakeSeafile.ADMIN); // the session's close rolled the first 100 back
            TargetBehaviour.run(target, s -> s.addMembers(id, many));
            assertThat(seafile.state().members(Long.parseLong(id))).hasSize(151);
        }
    }

    @Test
    void aNameSeafileRefusesIsSanitisedAndIsNotDrift() throws Exception {
        GroupRef rnd = TargetBehaviour.group("2d9a7b8c-3e4f-4a5b-8c0d-2e3f4a5b6c7d", "R&D / EMEA: ünits");
        try (ApiTarget target = target()) {
            String id = TargetBehaviour.ensure(target, rnd).groupId();
            assertThat(seafile.state().group(Long.parseLong(id)).orElseThrow().name()).isEqualTo("R-D - EMEA- ünits");
            assertThat(target.snapshot().links().get(rnd.uuid()).name()).contains("R&D / EMEA: ünits");
            seafile.state().renameByHand(Long.parseLong(id), "renamed by hand");
            assertThat(target.snapshot().links().get(rnd.uuid()).name()).contains("renamed by hand");
        }
        GroupRef symbols = TargetBehaviour.group("3e0b8c9d-4f5a-4b6c-9d1e-3f4a5b6c7d8e", "+++");
        try (ApiTarget target = target()) {
            String id = TargetBehaviour.ensure(target, symbols).groupId();
            assertThat(seafile.state().group(Long.parseLong(id)).orElseThrow().name()).isEqualTo("group-3e0b8c9d");
        }
    }

    @Test
    void aNameAnUnlinkedGroupHasIsAPermanentFailureUnlessAdopted() throws Exception {
        long foreign = seafile.state().createByHand("devs", "carol@example.org");
        try (ApiTarget target = target()) {
            TargetException e = failure(target, s -> s.ensureGroup(DEVS));
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("There is already a group with that name.").contains("seafile.adopt");
        }
        assertThat(seafile.state().groups()).hasSize(1);
        try (ApiTarget target = target(settings(Duration.ofSeconds(5), 1000), true)) {
            assertThat(TargetBehaviour.ensure(target, DEVS)).isEqualTo(new Target.GroupLink(String.valueOf(foreign), Target.GroupLink.How.ADOPTED));
        }
    }

    @Test
    void linksSurviveARestartAndALostLinkFileIsRebuiltByAdoptingByName() throws Exception {
        String id;
        try (ApiTarget target = target()) {
            id = TargetBehaviour.ensure(target, DEVS).groupId();
        }
        try (ApiTarget target = target()) {
            assertThat(TargetBehaviour.ensure(target, DEVS)).isEqualTo(new Target.GroupLink(id, Target.GroupLink.How.EXISTING));
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(ApiSettings.LINK_FILE, ApiSettings.LINK_FILE + ".lock");
        }
        assertThat(Files.readString(dataDir.resolve(ApiSettings.LINK_FILE))).contains(DEVS.uuid()).contains("\"groupId\" : " + id);
        Files.delete(dataDir.resolve(ApiSettings.LINK_FILE));
        try (ApiTarget target = target(settings(Duration.ofSeconds(5), 1000), true)) {
            assertThat(TargetBehaviour.ensure(target, DEVS)).isEqualTo(new Target.GroupLink(id, Target.GroupLink.How.ADOPTED));
        }
        assertThat(seafile.state().groups()).hasSize(1);
    }

    @Test
    void throttlingIsWaitedOutAsRetryAfterSays() throws Exception {
        try (ApiTarget target = target()) {
            seafile.throttleNext(2, 1);
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            assertThat(seafile.state().group(Long.parseLong(id))).isPresent();
            List<FakeSeafile.Call> calls = seafile.calls();
            assertThat(calls).extracting(FakeSeafile.Call::status).containsExactly(429, 429, 201);
            assertThat(Duration.ofNanos(calls.get(1).atNanos() - calls.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(Duration.ofNanos(calls.get(2).atNanos() - calls.get(1).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }
    }

    @Test
    void aRetryAfterLongerThanTheTimeoutIsATransientFailure() throws Exception {
        try (ApiTarget target = target(settings(Duration.ofSeconds(1), 1000), false)) {
            seafile.throttleNext(1, 30);
            TargetException e = failure(target, s -> s.ensureGroup(DEVS));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("HTTP 429").contains("retry after 30 s");
        }
    }

    @Test
    void theRateLimitKeepsGrouprelayUnderSeafilesThrottle() throws Exception {
        seafile.throttleAbove(5);
        try (ApiTarget target = target(settings(Duration.ofSeconds(5), 4), false)) {
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            for (String user : List.of("alice@example.org", "bob@example.org", "carol@example.org")) {
                TargetBehaviour.run(target, s -> {
                    s.addMembers(id, List.of(user));
                    s.removeMembers(id, List.of(user));
                });
            }
        }
        assertThat(seafile.calls()).hasSizeGreaterThanOrEqualTo(7).extracting(FakeSeafile.Call::status).doesNotContain(429);
    }

    @Test
    void serverErrorsAreTransientAndOtherClientErrorsPermanentWithSeafilesMessage() throws Exception {
        try (ApiTarget target = target()) {
            seafile.failNext(1, 500);
            assertThat(failure(target, s -> s.ensureGroup(DEVS)).isTransient()).isTrue();
            seafile.failNext(1, 503);
            assertThat(failure(target, s -> s.ensureGroup(DEVS)).isTransient()).isTrue();
            assertThat(seafile.state().groups()).isEmpty();
        }
        try (ApiTarget target = new ApiTarget(settings(Duration.ofSeconds(5), 1000), "nobody@example.org", false, Clock.systemUTC())) {
            TargetException e = failure(target, s -> s.ensureGroup(DEVS));
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("HTTP 404").contains("User nobody@example.org not found.").contains("seafile.groupCreator");
        }
        try (ApiTarget target = target()) {
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            TargetException e = failure(target, s -> s.addMembers(id, List.of("alice@example.org", "ghost@example.org")));
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("ghost@example.org: User ghost@example.org not found.");
        }
    }

    @Test
    void slowAnswersBeyondTheTimeoutAreTransient() throws Exception {
        try (ApiTarget target = target(settings(Duration.ofSeconds(1), 1000), false)) {
            seafile.delay(2500);
            TargetException e = failure(target, s -> s.ensureGroup(DEVS));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("no answer from Seafile within 1 s");
            seafile.delay(0);
            // Seafile created the group although its answer came too late: the next attempt links it, no duplicate
            Target.GroupLink link = TargetBehaviour.ensure(target, DEVS);
            assertThat(link.how()).isEqualTo(Target.GroupLink.How.CREATED);
            assertThat(seafile.state().groups()).singleElement().satisfies(g -> assertThat(String.valueOf(g.id())).isEqualTo(link.groupId()));
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsTransient() throws Exception {
        try (ApiTarget target = target()) {
            seafile.garbleNext(1);
            TargetException e = failure(target, s -> s.ensureGroup(DEVS));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("is not JSON").contains("text/html").contains("Bad gateway");
        }
    }

    @Test
    void tlsWithASelfSignedCertificateWorksWhenCaFileTrustsIt() throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1").commonName("seafile test").build();
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        Path pem = dataDir.resolve("seafile-ca.pem");
        Files.writeString(pem, certificate.certificatePem());
        try (FakeSeafile tls = FakeSeafile.startTls(server.sslSocketFactory())) {
            tls.state().addUser("alice@example.org", null);
            assertThat(tls.url()).startsWith("https://");
            ApiSettings trusted = new ApiSettings(tls.url(), Optional.of(new Secret(FakeSeafile.TOKEN)), Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5), 100, Optional.of(pem), dataDir.resolve("tls-links.json"));
            try (ApiTarget target = target(trusted, false)) {
                String id = TargetBehaviour.ensure(target, DEVS).groupId();
                TargetBehaviour.run(target, s -> s.addMembers(id, List.of("alice@example.org")));
                assertThat(tls.state().members(Long.parseLong(id))).containsExactly(FakeSeafile.ADMIN, "alice@example.org");
            }
            ApiSettings untrusted = new ApiSettings(tls.url(), Optional.of(new Secret(FakeSeafile.TOKEN)), Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5), 100, Optional.empty(), dataDir.resolve("tls-links.json"));
            try (ApiTarget target = target(untrusted, false)) {
                TargetException e = failure(target, s -> s.ensureGroup(TargetBehaviour.OPS));
                assertThat(e.isTransient()).isTrue();
                assertThat(e.getMessage()).contains("cannot reach Seafile");
            }
        }
    }

    @Test
    void usernameAndPasswordAreExchangedForATokenOnce() throws Exception {
        ApiSettings login = new ApiSettings(seafile.url(), Optional.empty(), Optional.of(FakeSeafile.ADMIN),
                Optional.of(new Secret(FakeSeafile.ADMIN_PASSWORD)), Duration.ofSeconds(5), 1000, Optional.empty(), dataDir.resolve("links.json"));
        try (ApiTarget target = target(login, false)) {
            String id = TargetBehaviour.ensure(target, DEVS).groupId();
            TargetBehaviour.run(target, s -> s.addMembers(id, List.of("bob@example.org")));
            assertThat(seafile.state().members(Long.parseLong(id))).contains("bob@example.org");
        }
        assertThat(seafile.calls()).filteredOn(c -> c.path().equals("/api2/auth-token/")).singleElement()
                .satisfies(c -> assertThat(c.contentType()).startsWith("application/x-www-form-urlencoded"));
        ApiSettings wrong = new ApiSettings(seafile.url(), Optional.empty(), Optional.of(FakeSeafile.ADMIN),
                Optional.of(new Secret("not-the-password")), Duration.ofSeconds(5), 1000, Optional.empty(), dataDir.resolve("links.json"));
        try (ApiTarget target = target(wrong, false)) {
            TargetException e = failure(target, s -> s.ensureGroup(TargetBehaviour.OPS));
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("seafile.api.username/password").doesNotContain("not-the-password");
        }
    }

    @Test
    void theTokenAppearsInNoMessageAndNoLogLine() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("org.grouprelay");
        ch.qos.logback.classic.Level level = root.getLevel();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        String wrongToken = "ffffffffffffffffffffffffffffffffffffffff";
        try {
            ApiSettings settings = new ApiSettings(seafile.url(), Optional.of(new Secret(wrongToken)), Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5), 1000, Optional.empty(), dataDir.resolve("links.json"));
            assertThat(settings.toString()).doesNotContain(wrongToken);
            try (ApiTarget target = target(settings, false)) {
                TargetException e = failure(target, s -> s.ensureGroup(DEVS));
                assertThat(e.isTransient()).isTrue(); // nothing is dropped while the token is being fixed
                assertThat(e.getMessage()).contains("HTTP 401").contains("seafile.api.token").doesNotContain(wrongToken);
            }
            try (ApiTarget target = target()) {
                seafile.throttleNext(1, 0);
                TargetBehaviour.ensure(target, DEVS);
            }
        } finally {
            root.detachAppender(logged);
            root.setLevel(level);
        }
        assertThat(logged.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain(wrongToken).doesNotContain(FakeSeafile.TOKEN));
    }

    @Test
    void theFakeEnforcesTheNameRuleAndOwnerProtection() throws Exception {
        SeafileState state = seafile.state();
        assertThatThrownBy(() -> state.createByHand("a/b", FakeSeafile.ADMIN)).hasMessageContaining("Name can only contain");
        long id = state.createByHand("ok name (1)", FakeSeafile.ADMIN);
        assertThatThrownBy(() -> state.createByHand("ok name (1)", FakeSeafile.ADMIN)).hasMessageContaining("already a group with that name");
        OkHttpClient client = new OkHttpClient();
        Request removeOwner = new Request.Builder().url(seafile.url() + "/api/v2.1/admin/groups/" + id + "/members/" + FakeSeafile.ADMIN + "/")
                .header("Authorization", "Token " + FakeSeafile.TOKEN).delete().build();
        try (Response response = client.newCall(removeOwner).execute()) {
            assertThat(response.code()).isEqualTo(403);
            assertThat(response.body().string()).contains("is group owner, can not be removed.");
        }
    }
}
