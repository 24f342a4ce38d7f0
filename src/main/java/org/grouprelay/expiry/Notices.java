package org.grouprelay.expiry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.ExpiryConfig;
import org.grouprelay.reconcile.DirectorySource;
import org.grouprelay.report.MailException;
import org.grouprelay.report.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices of memberships about to end: once {@code notifyDays} (the group's {@code grouprelayNotifyDays} or
 * {@code expiry.notifyDays}) before the end, the member gets one mail at their entry's {@code mail}; once a day (UTC)
 * the admins ({@code check.report.email.to}) get a digest of the memberships ending within that time. What was sent is
 * remembered in {@link NoticeState}, so nothing goes out twice; a notice that could not be mailed is tried again.
 */
final class Notices {
    private static final Logger log = LoggerFactory.getLogger(Notices.class);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ExpiryConfig config;
    private final CheckConfig.Email email;
    private final Mailer mailer;
    private final NoticeState state;
    private final DirectorySource directory;
    private final String template;

    Notices(ExpiryConfig config, CheckConfig.Email email, Mailer mailer, NoticeState state, DirectorySource directory) throws IOException {
        this.config = config;
        this.email = email;
        this.mailer = mailer;
        this.state = state;
        this.directory = directory;
        this.template = template(config);
    }

    private static String template(ExpiryConfig config) throws IOException {
        if (config.template().isPresent()) {
            return Files.readString(config.template().get(), StandardCharsets.UTF_8);
        }
        try (InputStream in = Notices.class.getResourceAsStream("/expiry/notice.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sends the notices and the digest due at {@code now}. */
    void run(List<GroupExpiry> groups, Instant now) throws IOException {
        Set<String> current = new HashSet<>();
        List<String[]> digest = new ArrayList<>();
        for (GroupExpiry group : groups) {
            int days = group.notifyDays(config.notifyDays());
            for (GroupExpiry.Member member : group.members()) {
                if (member.end().isEmpty() || days <= 0) {
                    continue;
                }
                Instant end = member.end().get();
                String key = key(group, member, end);
                current.add(key);
                if (end.isAfter(now) && !end.minus(Duration.ofDays(days)).isAfter(now)) {
                    digest.add(new String[] {group.name(), member.value(), SHOWN.format(end)});
                    if (!state.sent(key) && notify(group, member, end, now)) {
                        state.markSent(key);
                    }
                }
            }
        }
        state.keepOnly(current);
        digest(digest, now);
    }

    private static String key(GroupExpiry group, GroupExpiry.Member member, Instant end) {
        return group.dn().toLowerCase(java.util.Locale.ROOT) + "|" + member.value().toLowerCase(java.util.Locale.ROOT) + "|" + end;
    }

    /** Mails one member; true when it went out or never can (no address): then it is not tried again. */
    private boolean notify(GroupExpiry group, GroupExpiry.Member member, Instant end, Instant now) {
        Optional<Entry> user = lookup(member.value());
        Optional<String> mail = user.flatMap(u -> value(u, "mail"));
        if (mail.isEmpty()) {
            log.warn("membership of {} in {} ends at {}: no notice, the entry has no mail address", member.value(), group.name(), end);
            return true;
        }
        String name = user.flatMap(u -> value(u, "cn")).orElse(member.value());
        long daysLeft = Math.max(0, Duration.between(now, end).toHours() / 24);
        String text = fill(template, Map.of("name", name, "group", group.name(), "end", SHOWN.format(end),
                "days", Long.toString(daysLeft), "contact", contact(group)));
        String subject = "Your membership in " + group.name() + " ends on " + SHOWN.format(end);
        if (text.startsWith("Subject:")) {
            int newline = text.indexOf('\n');
            subject = text.substring("Subject:".length(), newline < 0 ? text.length() : newline).strip();
            text = newline < 0 ? "" : text.substring(newline + 1);
        }
        try {
            mailer.sendText(List.of(mail.get()), subject, text);
            return true;
        } catch (MailException e) {
            log.warn("expiry notice to {} not sent (tried again later): {}", mail.get(), e.getMessage());
            return false;
        }
    }

    /** The group's owners (their names and addresses), else {@code expiry.contact}, else the report's sender. */
    private String contact(GroupExpiry group) {
        List<String> owners = new ArrayList<>();
        for (String owner : group.owners()) {
            Optional<Entry> entry = lookup(owner);
            Optional<String> mail = entry.flatMap(e -> value(e, "mail"));
            String name = entry.flatMap(e -> value(e, "cn")).orElse(owner);
            owners.add(mail.map(m -> name + " <" + m + ">").orElse(name));
        }
        return owners.isEmpty() ? config.contact().orElse(email.from()) : String.join(" or ", owners);
    }

    private void digest(List<String[]> rows, Instant now) throws IOException {
        String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        if (state.lastDigest().filter(today::equals).isPresent()) {
            return;
        }
        if (!rows.isEmpty()) {
            rows.sort(Comparator.comparing((String[] r) -> r[2]).thenComparing(r -> r[0]).thenComparing(r -> r[1]));
            StringBuilder body = new StringBuilder("Memberships ending soon (each within its group's notice period):\n\n");
            for (String[] row : rows) {
                body.append(row[2]).append("  ").append(row[0]).append("  ").append(row[1]).append('\n');
            }
            body.append("\nRenew one by writing a later grouprelayMemberExpiry value; list them with: grouprelay memberships --expiring DAYS\n");
            try {
                mailer.sendText(email.to(), "grouprelay: " + rows.size() + " membership(s) ending soon", body.toString());
            } catch (MailException e) {
                log.warn("expiry digest not sent (tried again later): {}", e.getMessage());
                return;
            }
        }
        state.digestSent(today);
    }

    private Optional<Entry> lookup(String dn) {
        List<Entry> found = new ArrayList<>();
        try {
            directory.search(dn, "(objectClass=*)", List.of("mail", "cn"), found::add);
        } catch (LdapException | RuntimeException e) {
            return Optional.empty();
        }
        return found.stream().findFirst();
    }

    private static Optional<String> value(Entry entry, String attribute) {
        Attribute values = entry.get(attribute);
        return values == null || values.get() == null ? Optional.empty() : Optional.ofNullable(values.get().getString());
    }

    private static String fill(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("${" + value.getKey() + "}", value.getValue());
        }
        return text;
    }
}
