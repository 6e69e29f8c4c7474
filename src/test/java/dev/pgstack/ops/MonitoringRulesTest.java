package dev.pgstack.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The alert rules and the dashboard in deploy/monitoring only name metrics the running service exports (a renamed
 * metric cannot silently break an alert), and the Prometheus Operator's copy of the rules is the rules file's.
 * The service runs with a replica (its own database under a second URL) so that the replica metrics exist.
 */
@QuarkusTest
@TestProfile(MonitoringRulesTest.WithAReplica.class)
class MonitoringRulesTest {

    static final Path MONITORING = Path.of("deploy", "monitoring");
    static final Pattern METRIC = Pattern.compile("\\b(?:pgstack|agroal|http_server|jvm|process)_[a-z0-9_]+");

    public static class WithAReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgstack.replica.urls", "${quarkus.datasource.jdbc.url}", "pgstack.db.slow-query-ms", "1");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsExported() throws IOException {
        given().get("/api/categories").then().statusCode(200); // a statement: the slow-statement counter exists
        given().put("/api/users/424242").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        for (int i = 0; i < 2; i++) { // the second is a replay of the stored answer
            given().contentType("application/json").header("Idempotency-Key", "monitoring-rules-test")
                    .body("{\"role\":\"user\",\"content\":\"m\"}").post("/api/users/424242/messages")
                    .then().statusCode(201);
        }
        String exported = given().get(metrics).then().statusCode(200).extract().asString();
        Set<String> named = new TreeSet<>();
        for (String file : new String[] { "pgstack-rules.yml", "grafana-dashboard.json" }) {
            Matcher m = METRIC.matcher(Files.readString(MONITORING.resolve(file)));
            while (m.find()) {
                named.add(m.group());
            }
        }
        assertTrue(named.size() >= 8, "metrics named: " + named);
        Set<String> missing = new TreeSet<>();
        for (String name : named) {
            String family = name.replaceAll("_(bucket|sum|count|max)$", "");
            if (!exported.contains("\n" + name + "{") && !exported.contains("\n" + name + " ")
                    && !exported.contains("# TYPE " + family + " ")) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "named in deploy/monitoring but not exported");
    }

    @Test
    void theOperatorsRuleHasTheRulesFilesGroups() throws IOException {
        Yaml yaml = new Yaml();
        Map<String, Object> rules = yaml.load(Files.readString(MONITORING.resolve("pgstack-rules.yml")));
        Map<String, Object> operator = yaml.load(Files.readString(MONITORING.resolve("prometheus-rule.yaml")));
        assertEquals("PrometheusRule", operator.get("kind"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) operator.get("spec");
        assertEquals(rules.get("groups"), spec.get("groups"));
    }
}
