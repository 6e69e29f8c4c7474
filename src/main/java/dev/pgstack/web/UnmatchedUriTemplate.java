package dev.pgstack.web;

import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The {@code uri} tag of {@code http_server_requests} for requests that match no resource method (404, 405, 406,
 * 415, OPTIONS): Micrometer would record the raw path, one series per id, until its tag limit stops recording real
 * series. Each request starts with a template made from its path (ids become {@code {id}}); Quarkus REST replaces
 * it with the matched method's template when there is one.
 */
@Singleton
public class UnmatchedUriTemplate {

    /** Where Quarkus's HTTP metrics read the template from (Vert.x context local). */
    static final String TEMPLATE_KEY = "UrlPathTemplate";
    static final Set<String> WORDS = Set.of("api", "users", "settings", "messages", "categories", "products", "bulk",
            "companies", "storage", "agents", "q");
    private static final Pattern SLASHES = Pattern.compile("/+");

    void install(@Observes Router router) {
        router.route().order(-2000).handler(ctx -> {
            Context context = Vertx.currentContext();
            if (context != null) {
                context.putLocal(TEMPLATE_KEY, template(ctx.normalizedPath()));
            }
            ctx.next();
        });
    }

    /** "/api/users/123/messages" is "/api/users/{id}/messages"; deeper than six segments is "/{deep}". */
    static String template(String path) {
        String[] segments = SLASHES.split(path == null ? "" : path);
        if (segments.length > 7) {
            return "/{deep}";
        }
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            if (segment.isEmpty()) {
                continue;
            }
            out.append('/').append(WORDS.contains(segment) ? segment : "{id}");
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
