package org.grouprelay.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks the {@code check} section and turns it into {@link CheckConfig}. */
final class CheckValidator {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final Section section;

    CheckValidator(Section section) {
        this.section = section;
    }

    CheckConfig validate(ConfigFile.Check raw) {
        CheckConfig defaults = CheckConfig.defaults();
        String schedule = section.optional("schedule", raw.schedule()).orElse(defaults.schedule());
        CronSchedules.validate(schedule, section.key("schedule"));
        Section guard = section.child("guard");
        double share = Optional.ofNullable(raw.guard()).flatMap(g -> guard.optional("maxRemovalShare", g.maxRemovalShare()))
                .map(v -> share(guard, v)).orElse(defaults.maxRemovalShare());
        Section report = section.child("report");
        Optional<ConfigFile.Report> rawReport = Optional.ofNullable(raw.report());
        boolean onlyOnDrift = rawReport.map(r -> report.bool("onlyOnDrift", r.onlyOnDrift(), false)).orElse(false);
        Optional<CheckConfig.Email> email = rawReport.map(ConfigFile.Report::email).map(e -> email(report.child("email"), e));
        return new CheckConfig(schedule, share, onlyOnDrift, email);
    }

    private static double share(Section guard, String value) {
        try {
            double share = Double.parseDouble(value);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw guard.error("maxRemovalShare", "'" + value + "' is not a share; write a number above 0 and at most 1, e.g. 0.2");
    }

    private static CheckConfig.Email email(Section email, ConfigFile.Email raw) {
        List<String> to = email.strings("to", raw.to());
        if (to.isEmpty()) {
            throw email.error("to", "missing; list at least one recipient, e.g. [ops@example.org]");
        }
        for (String address : to) {
            address(email, "to", address);
        }
        String from = address(email, "from", email.string("from", raw.from()));
        ConfigFile.Smtp rawSmtp = email.required("smtp", raw.smtp());
        Section smtp = email.child("smtp");
        boolean starttls = smtp.bool("starttls", rawSmtp.starttls(), true);
        boolean ssl = smtp.bool("ssl", rawSmtp.ssl(), false);
        if (starttls && ssl) {
            throw smtp.error("ssl", "use either starttls (port 587) or ssl (SMTPS, port 465), not both");
        }
        Optional<String> user = smtp.optional("user", rawSmtp.user());
        Optional<Secret> password = smtp.optional("password", rawSmtp.password()).map(Secret::new);
        if (user.isPresent() != password.isPresent()) {
            throw smtp.error(user.isPresent() ? "password" : "user", "missing; SMTP authentication needs both user and password");
        }
        return new CheckConfig.Email(to, from, new CheckConfig.Smtp(smtp.string("host", rawSmtp.host()), smtp.port("port", rawSmtp.port()),
                starttls, ssl, user, password));
    }

    private static String address(Section email, String key, String address) {
        if (!ADDRESS.matcher(address).matches()) {
            throw email.error(key, "'" + address + "' is not an e-mail address");
        }
        return address;
    }
}
