package dev.pgstack;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;

import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.connection.AddressCache;
import dev.pgstack.db.migrate.MigrationCommands;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * {@code java -jar quarkus-run.jar} runs the service; with a command it runs that command against the same
 * configuration (DATABASE_URL and friends) and exits: {@code migrate [--adopt]}, {@code info}, {@code validate},
 * {@code undo [--to VERSION]}, {@code revision NAME} (in a checkout). In command mode the HTTP server does not
 * listen and the service's startup (wait, migrate, warm) does not run.
 */
@QuarkusMain
public class PgstackMain implements QuarkusApplication {

    static final List<String> COMMANDS = List.of("migrate", "info", "validate", "undo", "revision");

    /** Set (to the command) before Quarkus starts, read by the startup. */
    public static final String COMMAND_PROPERTY = "pgstack.command";

    @Inject
    RunMode runMode;

    @Inject
    Instance<Flyway> flyway;

    @Inject
    Instance<AgroalDataSource> dataSource;

    public static void main(String... args) {
        AddressCache.followRecords();
        if (args.length > 0) {
            if (!COMMANDS.contains(args[0])) {
                System.out.println("unknown command '" + args[0] + "'; use one of " + COMMANDS
                        + ", or no argument to run the service");
                System.exit(2);
            }
            System.setProperty(COMMAND_PROPERTY, args[0]);
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.management.port", "0");
            System.setProperty("quarkus.shutdown.delay", "0S");
            System.setProperty("quarkus.datasource.jdbc.min-size", "0");
            // the command's answer alone on stdout; the log (warnings and errors only, as plain text for a person
            // at a terminal) on stderr
            System.setProperty("quarkus.log.console.stderr", "true");
            System.setProperty("quarkus.log.level", "WARN");
            for (String profile : List.of("", "%prod.", "%dev.", "%test.")) {
                System.setProperty(profile + "quarkus.log.console.json.enabled", "false");
            }
        }
        Quarkus.run(PgstackMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        String command = args[0];
        if (command.equals("revision")) {
            if (args.length != 2) {
                System.out.println("usage: revision NAME");
                return 2;
            }
            return MigrationCommands.revision(args[1], Path.of("src", "main", "resources"), System.out);
        }
        if (runMode.isMisconfigured()) {
            return 1; // no usable database settings: the startup already said so in one line
        }
        MigrationCommands commands = new MigrationCommands(flyway.get(), dataSource.get(), System.out);
        return switch (command) {
            case "migrate" -> Arrays.asList(args).contains("--adopt") ? commands.adopt() : commands.migrate();
            case "info" -> commands.info();
            case "validate" -> commands.validate();
            case "undo" -> commands.undo(to(args));
            default -> 2;
        };
    }

    private static Optional<String> to(String[] args) {
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int i = rest.indexOf("--to");
        return i >= 0 && i + 1 < rest.size() ? Optional.of(rest.get(i + 1)) : Optional.empty();
    }
}
