package dev.pgstack.db.config;

import java.util.List;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code pgstack.replica.urls} (DATABASE_REPLICA_URL) into parsed URLs once. Its own type rather than a
 * {@code List}: the configuration would split a list at every comma, and a URL with several hosts has commas.
 */
public class ReplicaUrlsConverter implements Converter<ReplicaUrlsConverter.ReplicaUrls> {

    /** The replica URLs in the order given. */
    public record ReplicaUrls(List<DatabaseUrl> urls) {
    }

    @Override
    public ReplicaUrls convert(String value) {
        return new ReplicaUrls(DatabaseUrl.parseList("DATABASE_REPLICA_URL", value));
    }
}
