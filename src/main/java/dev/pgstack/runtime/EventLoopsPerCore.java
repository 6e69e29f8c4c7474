package dev.pgstack.runtime;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * One Vert.x event loop per processor the JVM may use, instead of Quarkus's two per processor. The hot paths (a
 * product by id, the history, a new message) and the reactive client run on the event loops and never block, so
 * loops beyond the cores only add context switches: on 2 cores W1 and W2 of bench/ gain 13-15 % with 2 loops
 * instead of 4 (bench/README.md). The count is read when the service starts, so a container's CPU limit decides it,
 * not the build machine's.
 *
 * <p>A default, not a setting: its ordinal (100) is below application.properties (250) and the environment (300),
 * so {@code quarkus.vertx.event-loops-pool-size} / {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE} still decide.
 */
public class EventLoopsPerCore implements ConfigSourceFactory {

    static final String KEY = "quarkus.vertx.event-loops-pool-size";
    static final int ORDINAL = 100;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ExecutionMode mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of(); // at build time (and a native image's static init) the processors are the builder's
        }
        return List.of(source(Runtime.getRuntime().availableProcessors()));
    }

    static ConfigSource source(int processors) {
        return new MapBackedConfigSource("pgstack-event-loops-per-core", Map.of(KEY, Integer.toString(processors)),
                ORDINAL) {
        };
    }
}
