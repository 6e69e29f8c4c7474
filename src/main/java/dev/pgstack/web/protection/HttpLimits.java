package dev.pgstack.web.protection;

import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/** Quarkus's request body limit, which the body reader enforces and names in its 413 answer. */
@ConfigMapping(prefix = "quarkus.http.limits")
public interface HttpLimits {

    Optional<MemorySize> maxBodySize();
}
