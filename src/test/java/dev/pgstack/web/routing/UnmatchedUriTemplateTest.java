package dev.pgstack.web.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Metric templates of requests that match no resource method: ids never become tag values. */
class UnmatchedUriTemplateTest {

    @ParameterizedTest
    @CsvSource({ "/api/users/123, /api/users/{id}", "/api/users/123/messages, /api/users/{id}/messages",
            "//api//users//9//, /api/users/{id}", "/, /", "'', /", "/anything/else, /{id}/{id}",
            "/a/b/c/d/e/f/g/h, /{deep}", "/api/companies/7/storage/9, /api/companies/{id}/storage/{id}" })
    void idsBecomeTemplates(String path, String template) {
        assertEquals(template, UnmatchedUriTemplate.template(path));
    }
}
