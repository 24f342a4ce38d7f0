package org.grouprelay.testing.mas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.grouprelay.testing.mas.MasReplies.Reply;
import org.grouprelay.testing.mas.OpenApiContract.Body;
import org.grouprelay.testing.mas.OpenApiContract.Operation;

/**
 * The user operations of the admin API (crates/handlers/src/admin/v1/users/*.rs) on the fake's
 * {@link MasDirectory}, for requests the contract already found valid.
 */
final class UserEndpoints {
    /** MAS's page size when neither page[first] nor page[last] is given (admin/params.rs). */
    static final int DEFAULT_PAGE_SIZE = 10;

    private final MasDirectory directory;
    private final MasReplies replies;
    private final Clock clock;
    private final Consumer<String> violations;

    UserEndpoints(MasDirectory directory, MasReplies replies, Clock clock, Consumer<String> violations) {
        this.directory = directory;
        this.replies = replies;
        this.clock = clock;
        this.violations = violations;
    }

    /** The answer, or empty when the fake does not implement the operation. */
    Optional<Reply> handle(Operation operation, Map<String, List<String>> query, Body body) {
        String id = operation.pathParams().get("id");
        String self = MasReplies.USERS_PATH + "/" + id;
        return Optional.ofNullable(switch (operation.operationId()) {
            case "getUserByUsername" -> byUsername(operation.pathParams().get("username"));
            case "getUser" -> change(id, UnaryOperator.identity(), self);
            case "lockUser" -> change(id, user -> user.lock(clock.instant()), self + "/lock");
            case "unlockUser" -> change(id, MasUser::unlock, self + "/unlock");
            case "reactivateUser" -> change(id, MasUser::reactivate, self + "/reactivate");
            case "deactivateUser" -> deactivate(id, body, self + "/deactivate");
            case "listUsers" -> list(query);
            default -> null;
        });
    }

    private Reply byUsername(String username) {
        return directory.byUsername(username)
                .map(user -> replies.single(user, MasReplies.USERS_PATH + "/by-username/" + username))
                .orElseGet(() -> replies.error(404, "User with username \"" + username + "\" not found"));
    }

    private Reply change(String id, UnaryOperator<MasUser> change, String self) {
        return directory.update(id, change)
                .map(user -> replies.single(user, self))
                .orElseGet(() -> notFound(id));
    }

    /**
     * deactivate.rs: the body is optional ({@code Option<Json<Request>>}, default when absent) and its
     * only member is {@code skip_erase} (default false), so no body, {@code {}} or any other member
     * all ask the homeserver to GDPR-erase the user. The fake forgets an erased account for good.
     */
    private Reply deactivate(String id, Body body, String self) {
        boolean skipErase = body instanceof Body.Valid valid && valid.json().path("skip_erase").asBoolean(false);
        if (body instanceof Body.Valid valid) {
            List<String> unknown = unknownMembers(valid.json());
            if (!unknown.isEmpty()) {
                violations.accept("deactivate body members " + unknown + " are unknown to MAS and ignored"
                        + " (its only member is skip_erase)");
            }
        }
        Optional<MasUser> deactivated = directory.update(id, user -> user.deactivate(clock.instant()));
        if (deactivated.isEmpty()) {
            return notFound(id);
        }
        Reply reply = replies.single(deactivated.get(), self);
        if (!skipErase) {
            directory.update(id, MasUser::erase);
            violations.accept("erase requested (or defaulted) for " + deactivated.get().username()
                    + ": send {\"skip_erase\": true} with Content-Type: application/json");
        }
        return reply;
    }

    private Reply list(Map<String, List<String>> query) {
        Optional<String> first = one(query, "page[first]");
        Optional<String> last = one(query, "page[last]");
        if (first.isPresent() && last.isPresent()) {
            return replies.error(400, "Cannot specify both `page[first]` and `page[last]` parameters");
        }
        for (String unsupported : List.of("filter[active-oauth2-client]", "filter[has-active-oauth2-session]",
                "filter[has-active-compat-session]")) {
            if (query.containsKey(unsupported)) {
                violations.accept(unsupported + " is not implemented by the fake");
                return replies.error(501, unsupported + " is not implemented by the fake");
            }
        }
        Predicate<MasUser> filter = filter(query);
        List<MasUser> matching = directory.live().stream().filter(filter).toList();
        String includeCount = one(query, "count").orElse("true");
        String base = MasReplies.USERS_PATH + filterText(query) + switch (includeCount) {
            case "false" -> sep(filterText(query)) + "count=false";
            case "only" -> sep(filterText(query)) + "count=only";
            default -> "";
        };
        ObjectNode body = replies.object();
        if (!includeCount.equals("false")) {
            body.putObject("meta").put("count", matching.size());
        }
        if (includeCount.equals("only")) {
            body.putObject("links").put("self", base);
            return replies.ok(body);
        }
        boolean forward = last.isEmpty();
        int size = Integer.parseInt(first.or(() -> last).orElse(String.valueOf(DEFAULT_PAGE_SIZE)));
        Optional<String> after = one(query, "page[after]");
        Optional<String> before = one(query, "page[before]");
        List<MasUser> window = matching.stream()
                .filter(user -> after.map(cursor -> user.id().compareTo(cursor) > 0).orElse(true))
                .filter(user -> before.map(cursor -> user.id().compareTo(cursor) < 0).orElse(true))
                .toList();
        List<MasUser> page = forward ? window.subList(0, Math.min(size, window.size()))
                : window.subList(Math.max(0, window.size() - size), window.size());
        boolean more = window.size() > size;
        ArrayNode data = body.putArray("data");
        for (MasUser user : page) {
            ObjectNode resource = replies.resource(user);
            resource.putObject("meta").putObject("page").put("cursor", user.id());
            data.add(resource);
        }
        ObjectNode links = body.putObject("links");
        String direction = forward ? "first" : "last";
        links.put("self", paged(base, before, after, direction, size));
        links.put("first", paged(base, Optional.empty(), Optional.empty(), "first", size));
        links.put("last", paged(base, Optional.empty(), Optional.empty(), "last", size));
        if (forward && more) {
            links.put("next", paged(base, Optional.empty(), Optional.of(page.get(page.size() - 1).id()), direction, size));
        }
        if (!forward && more) {
            links.put("prev", paged(base, Optional.of(page.get(0).id()), Optional.empty(), direction, size));
        }
        return replies.ok(body);
    }

    /** storage-pg user/mod.rs UserFilter: status on the timestamps, search as ILIKE %s%, admin flag. */
    private static Predicate<MasUser> filter(Map<String, List<String>> query) {
        Predicate<MasUser> filter = user -> true;
        Optional<String> status = one(query, "filter[status]");
        if (status.isPresent()) {
            filter = filter.and(switch (status.get()) {
                case "active" -> user -> !user.locked() && !user.deactivated();
                case "locked" -> MasUser::locked;
                default -> MasUser::deactivated;
            });
        }
        Optional<String> search = one(query, "filter[search]").map(text -> text.toLowerCase(Locale.ROOT));
        if (search.isPresent()) {
            filter = filter.and(user -> user.username().toLowerCase(Locale.ROOT).contains(search.get()));
        }
        Optional<Boolean> admin = one(query, "filter[admin]").map(Boolean::parseBoolean);
        if (admin.isPresent()) {
            filter = filter.and(user -> user.admin() == admin.get());
        }
        Optional<Boolean> guest = one(query, "filter[legacy-guest]").map(Boolean::parseBoolean);
        if (guest.isPresent() && guest.get()) {
            filter = user -> false;
        }
        return filter;
    }

    /** The filters in the order list.rs FilterParams writes them into links. */
    private static String filterText(Map<String, List<String>> query) {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("filter[admin]", "filter[legacy-guest]", "filter[search]", "filter[status]")) {
            one(query, name).ifPresent(value -> text.append(sep(text.toString())).append(name).append('=').append(value));
        }
        return text.toString();
    }

    /** response.rs url_with_pagination. */
    private static String paged(String base, Optional<String> before, Optional<String> after, String direction, int size) {
        String[] parts = base.split("\\?", 2);
        StringBuilder query = new StringBuilder(parts.length > 1 ? parts[1] : "");
        before.ifPresent(cursor -> query.append("&page[before]=").append(cursor));
        after.ifPresent(cursor -> query.append("&page[after]=").append(cursor));
        query.append("&page[").append(direction).append("]=").append(size);
        String text = query.toString();
        return parts[0] + "?" + (text.startsWith("&") ? text.substring(1) : text);
    }

    private static String sep(String soFar) {
        return soFar.isEmpty() ? "?" : "&";
    }

    private static Optional<String> one(Map<String, List<String>> query, String name) {
        return Optional.ofNullable(query.get(name)).filter(values -> !values.isEmpty()).map(values -> values.get(0));
    }

    private Reply notFound(String id) {
        return replies.error(404, "User ID " + id + " not found");
    }

    private static List<String> unknownMembers(JsonNode body) {
        List<String> unknown = new ArrayList<>();
        Iterator<String> names = body.fieldNames();
        names.forEachRemaining(name -> {
            if (!name.equals("skip_erase")) {
                unknown.add(name);
            }
        });
        return unknown;
    }
}
