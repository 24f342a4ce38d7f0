package org.grouprelay.config;

/** Checks the {@code expiry} section and turns it into {@link ExpiryConfig}. */
final class ExpiryValidator {
    private final Section section;

    ExpiryValidator(Section section) {
        this.section = section;
    }

    ExpiryConfig validate(ConfigFile.Expiry raw) {
        boolean enforce = section.bool("enforce", raw.enforce(), true);
        int notifyDays = section.optional("notifyDays", raw.notifyDays())
                .map(v -> section.number("notifyDays", v, 0, ExpiryConfig.MAX_NOTIFY_DAYS,
                        "is not a number of days from 0 to " + ExpiryConfig.MAX_NOTIFY_DAYS + " (0: no notices)"))
                .orElse(ExpiryConfig.DEFAULT_NOTIFY_DAYS);
        int every = section.optional("checkSeconds", raw.checkSeconds())
                .map(v -> section.number("checkSeconds", v, 1, ExpiryConfig.MAX_CHECK_SECONDS,
                        "is not a number of seconds from 1 to " + ExpiryConfig.MAX_CHECK_SECONDS))
                .orElse(ExpiryConfig.MAX_CHECK_SECONDS);
        java.util.Optional<java.nio.file.Path> template = raw.noticeTemplate() == null ? java.util.Optional.empty()
                : java.util.Optional.of(section.readableFile("noticeTemplate", raw.noticeTemplate()));
        return new ExpiryConfig(enforce, notifyDays, section.optional("contact", raw.contact()), template,
                java.time.Duration.ofSeconds(every));
    }
}
