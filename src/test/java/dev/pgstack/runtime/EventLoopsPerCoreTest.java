package dev.pgstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

@QuarkusTest
class EventLoopsPerCoreTest {

    @Inject
    Vertx vertx;

    @Test
    void theServiceRunsOneEventLoopPerProcessor() {
        int loops = 0;
        for (EventExecutor ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops++;
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), loops);
    }

    @Test
    void theDefaultGivesWayToApplicationPropertiesAndTheEnvironment() {
        var alone = new SmallRyeConfigBuilder().withSources(EventLoopsPerCore.source(3)).build();
        assertEquals(3, alone.getValue(EventLoopsPerCore.KEY, Integer.class));

        var properties = new SmallRyeConfigBuilder().withSources(EventLoopsPerCore.source(3),
                new PropertiesConfigSource(Map.of(EventLoopsPerCore.KEY, "8"), "application.properties", 250)).build();
        assertEquals(8, properties.getValue(EventLoopsPerCore.KEY, Integer.class));

        var environment = new SmallRyeConfigBuilder().withSources(EventLoopsPerCore.source(3),
                new EnvConfigSource(Map.of("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE", "5"), 300))
                .build();
        assertEquals(5, environment.getValue(EventLoopsPerCore.KEY, Integer.class));
    }
}
