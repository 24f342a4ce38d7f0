package org.grouprelay.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void textStartsWithTheHeadlineAndListsCountsGroupsAndFindings() {
        String text = Format.TEXT.render(Runs.drift());

        assertThat(text.lines().findFirst()).contains(
                "grouprelay check: 3 drift findings (2 members missing, 1 extra member); 1 pending member");
        assertThat(text).contains("checked 2026-11-25T02:30:00Z, mode check, 3 groups, 42 memberships")
                .contains("    2  member missing in Seafile\n")
                .contains("    1  extra member in Seafile\n")
                .contains("    1  member pending (no Seafile account yet)\n")
                .doesNotContain("name differs")
                .contains("\ndevs\n  - member missing in Seafile: uid=alice,ou=people,dc=example,dc=org — not in Seafile group 7"
                        + " → add alice@example.org\n  - member missing in Seafile: uid=bob,")
                .contains("\nOps\n  - extra member in Seafile: mallory@example.org — in Seafile group 9 but not a member"
                        + " in the directory → remove mallory@example.org\n")
                .contains("  - member pending (no Seafile account yet): uid=dave,ou=people,dc=example,dc=org — no Seafile account yet\n")
                .contains("3 repair actions planned");
        assertThat(text.indexOf("\ndevs\n")).isLessThan(text.indexOf("\nOps\n")); // case-insensitive name order
    }

    @Test
    void textIsTheSameWhateverOrderTheCheckerFoundThingsIn() {
        List<Finding> shuffled = new ArrayList<>(Runs.drift().plan().findings());
        Collections.reverse(shuffled);
        CheckRun reversed = new CheckRun(Runs.driftPlan(shuffled), Optional.empty(), "check", Optional.empty());

        assertThat(Format.TEXT.render(reversed)).isEqualTo(Format.TEXT.render(Runs.drift()));
        assertThat(Format.JSON.render(reversed)).isEqualTo(Format.JSON.render(Runs.drift()));
        assertThat(Format.HTML.render(reversed)).isEqualTo(Format.HTML.render(Runs.drift()));
    }

    @Test
    void anInSyncRunSaysSoInOneLineAndNothingElseToDo() {
        String text = Format.TEXT.render(Runs.inSync());

        assertThat(text).isEqualTo("grouprelay check: in sync\n"
                + "checked 2026-11-25T02:30:00Z, mode check, 3 groups, 42 memberships\n");
        assertThat(Mailer.subject(Runs.inSync())).isEqualTo("grouprelay check: in sync");
        assertThat(Mailer.subject(Runs.inSyncWithNotes())).isEqualTo("grouprelay check: in sync; 1 pending member");
    }

    @Test
    void aDryRunListsTheRepairPlanInApplyOrder() {
        String text = Format.TEXT.render(Runs.dryRun());

        assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line).endsWith("(dry run)"));
        assertThat(text).contains("Repair plan (dry run: nothing changed)\n"
                + "  - " + Runs.NASTY.name() + ": create the Seafile group (or re-create it) and link it\n"
                + "  - devs: add 2 members: alice@example.org, bob@example.org\n"
                + "  - Ops: remove 1 member from Seafile group 9: mallory@example.org\n");
    }

    @Test
    void aRepairShowsWhatItDidAndARefusalShowsWhyAndWhatWasNotDone() {
        String repaired = Format.TEXT.render(Runs.repaired());
        assertThat(repaired).contains("Repair: 0 groups created, 0 renamed, 0 deleted; 2 members added, 1 removed\n"
                + "  failed: Ops: Seafile said no\n").doesNotContain("Repair plan");
        assertThat(Mailer.subject(Runs.repaired())).endsWith(", repaired with 1 failure");

        String refused = Format.TEXT.render(Runs.refused());
        assertThat(refused).contains("Repair plan (not applied)\n")
                .contains("Repair refused: would remove 60% of Seafile memberships (limit 20%)\n");
        assertThat(Mailer.subject(Runs.refused())).isEqualTo(
                "grouprelay check: 3 drift findings (2 members missing, 1 extra member); 1 pending member, repair refused");
    }

    @Test
    void findingsWithoutAGroupComeLastUnderTheirOwnHeading() {
        String text = Format.TEXT.render(Runs.nasty());

        assertThat(text).endsWith("\n" + Wording.NO_GROUP + "\n  - changes waiting in the outbox: 3 changes waiting, oldest 42 s"
                + " → check that Seafile's database is reachable\n" + text.substring(text.indexOf("\nRepair plan")));
    }

    @Test
    void jsonParsesBackWithEveryKeyInAStableOrderAndAllKindNames() throws Exception {
        JsonNode root = JSON.readTree(Format.JSON.render(Runs.drift()));

        assertThat(fieldNames(root)).containsExactly("version", "checkedAt", "mode", "inSync", "summary", "groups",
                "memberships", "counts", "findings", "actions", "repair", "refused");
        assertThat(root.get("version").asInt()).isEqualTo(1);
        assertThat(root.get("checkedAt").asText()).isEqualTo("2026-11-25T02:30:00Z");
        assertThat(root.get("mode").asText()).isEqualTo("check");
        assertThat(root.get("inSync").isBoolean()).isTrue();
        assertThat(root.get("inSync").asBoolean()).isFalse();
        assertThat(root.get("groups").asInt()).isEqualTo(3);
        assertThat(root.get("memberships").asInt()).isEqualTo(42);
        assertThat(fieldNames(root.get("counts"))).containsExactly("MEMBER_MISSING", "MEMBER_EXTRA", "GROUP_MISSING",
                "GROUP_NOT_LINKED", "NAME_DIFFERS", "LINK_ORPHANED", "MEMBER_PENDING", "NOT_MANAGED", "OUTBOX_BACKLOG", "RELAY_FAILURE",
                "MEMBERSHIP_EXPIRED");
        assertThat(root.get("counts").get("MEMBER_MISSING").asInt()).isEqualTo(2);
        assertThat(root.get("counts").get("NAME_DIFFERS").asInt()).isZero();

        JsonNode first = root.get("findings").get(0);
        assertThat(fieldNames(first)).containsExactly("kind", "drift", "group", "user", "detail", "action");
        assertThat(first.get("kind").asText()).isEqualTo("MEMBER_MISSING");
        assertThat(first.get("group").asText()).isEqualTo("devs");
        assertThat(first.get("user").asText()).isEqualTo("uid=alice,ou=people,dc=example,dc=org");
        assertThat(root.get("findings")).extracting(f -> f.get("kind").asText())
                .containsExactly("MEMBER_MISSING", "MEMBER_MISSING", "MEMBER_EXTRA", "MEMBER_PENDING");
        JsonNode pending = root.get("findings").get(3);
        assertThat(pending.get("drift").asBoolean()).isFalse();
        assertThat(pending.get("action").isNull()).isTrue();

        JsonNode add = root.get("actions").get(1);
        assertThat(fieldNames(add)).containsExactly("type", "group", "groupDn", "groupUuid", "seafileGroupId", "users");
        assertThat(add.get("type").asText()).isEqualTo("add-members");
        assertThat(add.get("group").asText()).isEqualTo("devs");
        assertThat(add.get("seafileGroupId").isNull()).isTrue();
        assertThat(add.get("users")).extracting(JsonNode::asText).containsExactly("alice@example.org", "bob@example.org");
        assertThat(root.get("actions")).extracting(a -> a.get("type").asText())
                .containsExactly("ensure-group", "add-members", "remove-members");
        assertThat(root.get("actions").get(2).get("seafileGroupId").asLong()).isEqualTo(9);

        assertThat(root.get("repair").isNull()).isTrue();
        assertThat(root.get("refused").isNull()).isTrue();
    }

    @Test
    void jsonCarriesTheRepairResultOrTheRefusal() throws Exception {
        JsonNode repair = JSON.readTree(Format.JSON.render(Runs.repaired())).get("repair");
        assertThat(fieldNames(repair)).containsExactly("groupsCreated", "groupsRenamed", "groupsDeleted", "membersAdded",
                "membersRemoved", "failures");
        assertThat(repair.get("membersAdded").asInt()).isEqualTo(2);
        assertThat(repair.get("failures").get(0).asText()).isEqualTo("Ops: Seafile said no");

        JsonNode refused = JSON.readTree(Format.JSON.render(Runs.refused()));
        assertThat(refused.get("refused").asText()).startsWith("would remove 60%");
        assertThat(refused.get("repair").isNull()).isTrue();

        JsonNode inSync = JSON.readTree(Format.JSON.render(Runs.inSync()));
        assertThat(inSync.get("inSync").asBoolean()).isTrue();
        assertThat(inSync.get("findings")).isEmpty();
        assertThat(inSync.get("summary").asText()).isEqualTo("in sync");
    }

    @Test
    void htmlEscapesGroupNamesAndDetailsAndLoadsNothingFromOutside() {
        String html = Format.HTML.render(Runs.nasty());

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
                .doesNotContain("<script", "<b>no</b>", "alert('x')")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;")
                .contains("&lt;b&gt;no&lt;/b&gt; link &amp; no Seafile group");
        assertThat(html.toLowerCase()).doesNotContain("http:", "https:", "src=", "href=", "<link", "@import", "url(",
                "<style", "<img", "<iframe");
    }

    @Test
    void htmlHasTheCountsAtTheTopAndOneTablePerGroup() {
        String html = Format.HTML.render(Runs.drift());

        int counts = html.indexOf(">member missing in Seafile</td>");
        assertThat(counts).isPositive().isLessThan(html.indexOf(">devs</h2>"));
        assertThat(html).contains("<title>grouprelay check: 3 drift findings (2 members missing, 1 extra member); 1 pending member</title>")
                .contains(">devs</h2>", ">Ops</h2>");
        assertThat(html.split("<table ", -1)).hasSize(1 + 3); // counts, devs, Ops
        assertThat(Format.HTML.render(Runs.inSync())).contains("No findings");
    }

    @Test
    void formatsParseFromTheCommandLineAndKnowTheirFiles() {
        assertThat(Format.parse("text")).isEqualTo(Format.TEXT);
        assertThat(Format.parse("JSON")).isEqualTo(Format.JSON);
        assertThat(Format.parse(" html ")).isEqualTo(Format.HTML);
        assertThat(Arrays.stream(Format.values()).map(Format::fileExtension)).containsExactly("txt", "json", "html");
        assertThatThrownBy(() -> Format.parse("xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown report format 'xml'; use one of text, json, html");
    }

    @Test
    void theArchiveKeepsEveryFormatAndNeverOverwritesAnEarlierReport() throws Exception {
        ReportArchive archive = new ReportArchive(dataDir);

        Map<Format, Path> first = archive.write(Runs.drift());
        Map<Format, Path> second = archive.write(Runs.repaired());

        Path reports = dataDir.resolve("reports");
        assertThat(first.values()).extracting(p -> p.getFileName().toString())
                .containsExactly("check-20261125T023000Z.txt", "check-20261125T023000Z.json", "check-20261125T023000Z.html");
        assertThat(second.get(Format.TEXT)).isEqualTo(reports.resolve("check-20261125T023000Z-2.txt"));
        assertThat(Files.readString(first.get(Format.JSON))).isEqualTo(Format.JSON.render(Runs.drift()));
        assertThat(Files.readString(second.get(Format.TEXT))).isEqualTo(Format.TEXT.render(Runs.repaired()));
        try (var files = Files.list(reports)) {
            assertThat(files).hasSize(6); // no temporary files left behind
        }
    }

    @Test
    void onlyOnDriftSkipsTheMailWhenInSyncButNeverWhenThereIsDrift() {
        CheckConfig.Email email = new CheckConfig.Email(List.of("ops@example.org"), "grouprelay@example.org",
                new CheckConfig.Smtp("127.0.0.1", 25, false, false, Optional.empty(), Optional.empty()));
        CheckConfig always = new CheckConfig("0 30 2 * * ?", 0.2, false, Optional.of(email));
        CheckConfig onlyOnDrift = new CheckConfig("0 30 2 * * ?", 0.2, true, Optional.of(email));

        assertThat(ReportDelivery.shouldMail(always, Runs.inSync())).isTrue();
        assertThat(ReportDelivery.shouldMail(onlyOnDrift, Runs.inSync())).isFalse();
        assertThat(ReportDelivery.shouldMail(onlyOnDrift, Runs.inSyncWithNotes())).isFalse();
        assertThat(ReportDelivery.shouldMail(onlyOnDrift, Runs.drift())).isTrue();
        assertThat(ReportDelivery.shouldMail(CheckConfig.defaults(), Runs.drift())).isFalse(); // no e-mail configured
    }

    @Test
    void productionMailSettingsRequireTlsCheckTheHostAndTimeOut() {
        CheckConfig.Smtp starttls = new CheckConfig.Smtp("smtp.example.org", 587, true, false, Optional.of("reporter"),
                Optional.of(new org.grouprelay.config.Secret("s3cret")));
        Properties p = new Mailer(new CheckConfig.Email(List.of("ops@example.org"), "grouprelay@example.org", starttls),
                Clock.systemUTC()).properties();

        assertThat(p).containsEntry("mail.smtp.starttls.enable", "true").containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true").containsEntry("mail.smtp.auth", "true")
                .containsEntry("mail.smtp.connectiontimeout", "10000").containsEntry("mail.smtp.timeout", "10000")
                .containsEntry("mail.smtp.writetimeout", "10000")
                .doesNotContainKeys("mail.smtp.ssl.trust", "mail.smtp.ssl.socketFactory", "mail.smtp.ssl.enable");
        assertThat(p.toString()).doesNotContain("s3cret");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
