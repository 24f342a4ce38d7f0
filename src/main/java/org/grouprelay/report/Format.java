package org.grouprelay.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.grouprelay.reconcile.CheckRun;

/** The report formats of {@code --format}, each knowing how to render itself and how it is stored and mailed. */
public enum Format {
    TEXT("text", "txt", "text/plain") {
        @Override
        public String render(CheckRun run) {
            return TextReport.render(run);
        }
    },
    JSON("json", "json", "application/json") {
        @Override
        public String render(CheckRun run) {
            return JsonReport.render(run);
        }
    },
    HTML("html", "html", "text/html") {
        @Override
        public String render(CheckRun run) {
            return HtmlReport.render(run);
        }
    };

    private final String cliName;
    private final String fileExtension;
    private final String mediaType;

    Format(String cliName, String fileExtension, String mediaType) {
        this.cliName = cliName;
        this.fileExtension = fileExtension;
        this.mediaType = mediaType;
    }

    public abstract String render(CheckRun run);

    /** The name on the command line: {@code text}, {@code json}, {@code html}. */
    public String cliName() {
        return cliName;
    }

    /** Without the dot: {@code txt}, {@code json}, {@code html}. */
    public String fileExtension() {
        return fileExtension;
    }

    /** The MIME type without parameters; all formats are UTF-8. */
    public String mediaType() {
        return mediaType;
    }

    /** Parses {@code text|json|html} (any case); the message of a bad value lists the valid ones. */
    public static Format parse(String name) {
        for (Format f : values()) {
            if (f.cliName.equals(name == null ? null : name.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + name + "'; use one of "
                + Arrays.stream(values()).map(Format::cliName).collect(Collectors.joining(", ")));
    }
}
