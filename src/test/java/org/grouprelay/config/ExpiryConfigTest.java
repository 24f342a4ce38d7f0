package org.grouprelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code expiry} section: defaults, every key, and one-line errors naming the key and the fix. */
class ExpiryConfigTest {
    @TempDir
    Path dir;

    Config parse(String expiry) throws IOException {
        Path ldif = Files.writeString(dir.resolve("bootstrap.ldif"), "dn: dc=example,dc=org\n");
        return new ConfigLoader(new Environment(Map.of("ADMIN_PW", "s3cret-admin"))).parse(ConfigLoaderTest.directory(ldif) + expiry,
                "test.yaml");
    }

    @Test
    void withoutTheSectionMembershipsEndOnTimeAndMembersHear21DaysBefore() throws IOException {
        assertThat(parse("").expiry()).isEqualTo(ExpiryConfig.defaults());
        assertThat(ExpiryConfig.defaults().enforce()).isTrue();
        assertThat(ExpiryConfig.defaults().notifyDays()).isEqualTo(21);
        assertThat(ExpiryConfig.defaults().every()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyKeyIsRead() throws IOException {
        Path template = Files.writeString(dir.resolve("notice.txt"), "Subject: ends\n${group}\n");
        ExpiryConfig expiry = parse("""
                expiry:
                  enforce: false
                  notifyDays: 14
                  contact: it-desk@example.org
                  noticeTemplate: %s
                  checkSeconds: 2
                """.formatted(template)).expiry();
        assertThat(expiry).isEqualTo(new ExpiryConfig(false, 14, Optional.of("it-desk@example.org"), Optional.of(template),
                Duration.ofSeconds(2)));
    }

    @Test
    void mistakesNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> parse("expiry: { notifyDays: soon }\n"))
                .hasMessage("expiry.notifyDays: 'soon' is not a number of days from 0 to 3650 (0: no notices)");
        assertThatThrownBy(() -> parse("expiry: { checkSeconds: 60 }\n"))
                .hasMessage("expiry.checkSeconds: '60' is not a number of seconds from 1 to 10");
        assertThatThrownBy(() -> parse("expiry: { enforce: yes }\n")).hasMessage("expiry.enforce: 'yes' is not a boolean; write true or false");
        assertThatThrownBy(() -> parse("expiry: { noticeTemplate: /nowhere/notice.txt }\n"))
                .hasMessage("expiry.noticeTemplate: file /nowhere/notice.txt does not exist");
        assertThatThrownBy(() -> parse("expiry: { notifyDay: 3 }\n")).hasMessageContaining("notifyDay");
    }
}
