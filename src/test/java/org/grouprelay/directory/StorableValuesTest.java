package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import org.junit.jupiter.api.Test;

/** {@link StorableValues#tooLong} agrees with what {@code DataOutput.writeUTF} (the partition's writer) accepts. */
class StorableValuesTest {

    @Test
    void theLimitIsWriteUtfsInModifiedUtf8() throws IOException {
        for (String value : new String[] {"a".repeat(65_535), "a".repeat(65_536), "é".repeat(32_767), "é".repeat(32_768),
                "€".repeat(21_845), "€".repeat(21_846), "\u0000".repeat(32_767), "\u0000".repeat(32_768),
                "😀".repeat(10_922), "😀".repeat(10_923), "short", ""}) {
            assertThat(StorableValues.tooLong(value)).as("%d chars of %s", value.length(), value.isEmpty() ? "nothing" : value.substring(0, 1))
                    .isEqualTo(!writeUtfTakes(value));
        }
    }

    private static boolean writeUtfTakes(String value) throws IOException {
        try {
            new DataOutputStream(new ByteArrayOutputStream()).writeUTF(value);
            return true;
        } catch (UTFDataFormatException e) {
            return false;
        }
    }
}
