package dev.pgstack.web.routing;

import java.util.Set;

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

    void install(@Observes Router router) {
        router.route().order(-2000).handler(ctx -> {
            Context context = Vertx.currentContext();
            if (context != null) {
                context.putLocal(TEMPLATE_KEY, template(ctx.normalizedPath()));
            }
            ctx.next();
        });
    }

    /**
     * "/api/users/123/messages" is "/api/users/{id}/messages"; deeper than seven segments is "/{deep}". Runs for
     * every request: a plain loop, no regular expression.
     */
    static String template(String path) {
        StringBuilder out = new StringBuilder();
        int segments = 0;
        int length = path == null ? 0 : path.length();
        for (int start = 0; start < length;) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                if (++segments > 7) {
                    return "/{deep}";
                }
                String segment = path.substring(start, end);
                out.append('/').append(WORDS.contains(segment) ? segment : "{id}");
            }
            start = end + 1;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
