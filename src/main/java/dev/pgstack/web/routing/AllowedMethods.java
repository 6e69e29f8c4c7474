package dev.pgstack.web.routing;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.problem.Problems;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;

/**
 * Which methods each API path answers, read once from the resource classes' JAX-RS annotations: the
 * {@code Allow} header of 405 answers, and OPTIONS answered per path (Quarkus REST would list every method of the
 * resource class, also those of its sub-paths). Also answers unknown management paths with a 404 problem.
 */
@Singleton
public class AllowedMethods {

    private record Route(Pattern path, Set<String> methods) {
    }

    private final List<Route> routes = new ArrayList<>();

    AllowedMethods(BeanManager beans) {
        for (var bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String template = classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
                add(template, verb);
            }
        }
    }

    private void add(String template, String verb) {
        String regex = template.replaceAll("/+", "/").replaceAll("/$", "").replaceAll("\\{[^}]+}", "[^/]+");
        Pattern pattern = Pattern.compile(regex + "/?");
        for (Route route : routes) {
            if (route.path().pattern().equals(pattern.pattern())) {
                route.methods().add(verb);
                return;
            }
        }
        Set<String> methods = new TreeSet<>();
        methods.add(verb);
        routes.add(new Route(pattern, methods));
    }

    private static String verb(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /**
     * The methods of the template matching {@code path} (the most literal one, as JAX-RS chooses: "bulk" before
     * "{id}"), with HEAD (for GET) and OPTIONS; empty if none matches.
     */
    public Optional<String> allow(String path) {
        Route best = null;
        for (Route route : routes) {
            if (route.path().matcher(path).matches() && (best == null || wildcards(route) < wildcards(best))) {
                best = route;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Set<String> methods = new TreeSet<>(best.methods());
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return Optional.of(String.join(", ", methods));
    }

    private static int wildcards(Route route) {
        return route.path().pattern().split("\\[\\^/]\\+", -1).length;
    }

    void answerOptions(@Observes Router router) {
        router.options("/api/*").order(-900).handler(ctx -> {
            if (ctx.request().getHeader("Access-Control-Request-Method") != null) {
                ctx.next(); // a browser's CORS preflight: Quarkus's CORS filter answers it (where CORS is on)
                return;
            }
            Optional<String> allow = allow(ctx.normalizedPath());
            if (allow.isEmpty()) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(204).putHeader("Allow", allow.get()).end();
        });
    }

    void answerUnknownManagementPaths(@Observes ManagementInterface management, Problems problems) {
        management.router().route().order(Integer.MAX_VALUE).handler(ctx -> problems.send(ctx,
                Problem.of(ProblemType.NOT_FOUND, "no such resource: " + ctx.normalizedPath(), ctx.normalizedPath())));
    }
}
