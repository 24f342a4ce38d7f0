package org.grouprelay.targets.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The SCIM target's small rules: filter values as JSON strings, and what a ServiceProviderConfig allows. */
class ScimRulesTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void filterValuesAreQuotedAsJsonStrings() {
        assertThat(ScimFilter.quote("alice")).isEqualTo("\"alice\"");
        assertThat(ScimFilter.quote("o\"hara\\x")).isEqualTo("\"o\\\"hara\\\\x\"");
        assertThat(ScimFilter.quote("a\nb")).isEqualTo("\"a\\u000ab\"");
    }

    @Test
    void theServersBulkLimitLowersOursButNeverRaisesIt() throws Exception {
        ServiceProvider lower = ServiceProvider.of(json.readTree("""
                {"patch": {"supported": true}, "bulk": {"supported": true, "maxOperations": 50}, "etag": {"supported": true}}"""), 100);
        assertThat(lower).isEqualTo(new ServiceProvider(true, 50, true));
        ServiceProvider higher = ServiceProvider.of(json.readTree("""
                {"patch": {"supported": true}, "bulk": {"supported": true, "maxOperations": 1000}}"""), 100);
        assertThat(higher.maxOperations()).isEqualTo(100);
        assertThat(higher.etag()).isFalse();
    }

    @Test
    void withoutPatchGroupsAreReplaced() throws Exception {
        assertThat(ServiceProvider.of(json.readTree("{\"patch\": {\"supported\": false}}"), 100).patch()).isFalse();
        assertThat(ServiceProvider.of(json.readTree("{}"), 100).patch()).isTrue(); // silent servers mostly do PATCH
    }
}
