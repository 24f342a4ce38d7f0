package org.grouprelay.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.grouprelay.config.CheckConfig.Email;
import org.grouprelay.config.CheckConfig.Smtp;

/** Reads and checks the {@code check} section. */
final class CheckSection {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private CheckSection() {
    }

    static CheckConfig read(YamlNode node) {
        node.allow("schedule", "guard", "report");
        CheckConfig defaults = CheckConfig.defaults();
        String schedule = node.optionalString("schedule").orElse(defaults.schedule());
        CronSchedules.validate(schedule, node.key("schedule"));
        double share = node.optionalSection("guard").map(g -> {
            g.allow("maxRemovalShare");
            return g.optionalString("maxRemovalShare").map(v -> share(g, v)).orElse(defaults.maxRemovalShare());
        }).orElse(defaults.maxRemovalShare());
        Optional<YamlNode> report = node.optionalSection("report");
        report.ifPresent(r -> r.allow("onlyOnDrift", "email"));
        boolean onlyOnDrift = report.map(r -> r.bool("onlyOnDrift", false)).orElse(false);
        Optional<Email> email = report.flatMap(r -> r.optionalSection("email")).map(CheckSection::email);
        return new CheckConfig(schedule, share, onlyOnDrift, email);
    }

    private static double share(YamlNode node, String value) {
        try {
            double share = Double.parseDouble(value);
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(node.key("maxRemovalShare") + ": '" + value + "' is not a share; write a number above 0 and at most 1, e.g. 0.2");
    }

    private static Email email(YamlNode node) {
        node.allow("to", "from", "smtp");
        List<String> to = new ArrayList<>(node.strings("to"));
        if (to.isEmpty()) {
            throw new ConfigException(node.key("to") + ": missing; list at least one recipient, e.g. [ops@example.org]");
        }
        for (String address : to) {
            address(node, "to", address);
        }
        String from = address(node, "from", node.string("from"));
        YamlNode smtp = node.section("smtp").allow("host", "port", "starttls", "ssl", "user", "password");
        boolean starttls = smtp.bool("starttls", true);
        boolean ssl = smtp.bool("ssl", false);
        if (starttls && ssl) {
            throw new ConfigException(smtp.key("ssl") + ": use either starttls (port 587) or ssl (SMTPS, port 465), not both");
        }
        Optional<String> user = smtp.optionalString("user");
        Optional<Secret> password = smtp.optionalString("password").map(p -> smtp.secret("password"));
        if (user.isPresent() != password.isPresent()) {
            throw new ConfigException(smtp.key(user.isPresent() ? "password" : "user") + ": missing; SMTP authentication needs both user and password");
        }
        return new Email(to, from, new Smtp(smtp.string("host"), smtp.port("port"), starttls, ssl, user, password));
    }

    private static String address(YamlNode node, String key, String address) {
        if (!ADDRESS.matcher(address).matches()) {
            throw new ConfigException(node.key(key) + ": '" + address + "' is not an e-mail address");
        }
        return address;
    }
}
