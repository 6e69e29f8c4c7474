import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The native check: GraalVM's image builder, from its Maven Central artifacts, runs the analysis and compilation of
 * pgstack on a JVMCI-enabled JDK (Temurin 25) and stops before the final link, which needs GraalVM's static C
 * libraries that these machines do not have. Any native-image error (a class initialized at build time that must
 * not be, a missing registration, an unsupported feature) fails it, as it would fail {@code ./mvnw package -Dnative}.
 *
 * <p>GraalVM's {@code native-image} driver is not on Maven Central, so this program does its job: it reads the
 * driver arguments that Quarkus wrote ({@code -Dquarkus.native.sources-only=true}: {@code native-image.args}) and
 * those of the class path's {@code META-INF/native-image/**}, translates them into the hosted builder's own
 * options, lays out a GraalVM-like home (a hard-linked copy of this JDK, plus the two native pieces the builder
 * loads from it) and runs {@code com.oracle.svm.hosted.NativeImageGeneratorRunner}.
 *
 * <p>Run by the Maven profile {@code native-check}: {@code java NativeCheck.java <native-sources> <builder-jars>
 * <work-dir> <support-dir>}; {@code NATIVE_CHECK_STAGE=analysis} stops after the analysis (about half the time),
 * {@code NATIVE_CHECK_XMX} sets the builder's heap (default 8g).
 */
public class NativeCheck {

    /** Driver options that take a value, and the hosted option each one stands for (from svm's @APIOption). */
    private static final List<String[]> VALUE_OPTIONS = List.of(
            new String[] {"--features", "Features"},
            new String[] {"--link-at-build-time", "LinkAtBuildTime"},
            new String[] {"--link-at-build-time-paths", "LinkAtBuildTimePaths"},
            new String[] {"--enable-url-protocols", "EnableURLProtocols"},
            new String[] {"--enable-monitoring", "EnableMonitoringFeatures"},
            new String[] {"--enable-native-access", "EnableNativeAccess"},
            new String[] {"--add-exports", "AddExports"},
            new String[] {"--add-opens", "AddOpens"},
            new String[] {"--add-reads", "AddReads"});

    /**
     * The JDK's internal packages that the builder's modules use (the imports of the svm 25.0.2 sources, each
     * with its module), opened to them as GraalVM's own driver does.
     */
    private static final List<String> JDK_INTERNALS = List.of(
            "java.base/jdk.internal", "java.base/jdk.internal.access", "java.base/jdk.internal.event",
            "java.base/jdk.internal.foreign", "java.base/jdk.internal.loader", "java.base/jdk.internal.logger",
            "java.base/jdk.internal.misc", "java.base/jdk.internal.module", "java.base/jdk.internal.ref",
            "java.base/jdk.internal.reflect", "java.base/jdk.internal.util", "java.base/jdk.internal.vm",
            "java.base/jdk.internal.vm.annotation", "java.base/sun.invoke.util", "java.base/sun.net",
            "java.base/sun.net.www", "java.base/sun.nio.ch", "java.base/sun.reflect.annotation",
            "java.base/sun.reflect.generics.factory", "java.base/sun.reflect.generics.repository",
            "java.base/sun.security.jca", "java.base/sun.security.provider", "java.base/sun.security.ssl",
            "java.base/sun.security.util", "java.base/sun.security.x509", "java.base/sun.text.spi",
            "java.base/sun.util.calendar", "java.base/sun.util.cldr", "java.base/sun.util.locale",
            "java.base/sun.util.locale.provider", "java.base/sun.util.resources",
            "java.management/com.sun.jmx.mbeanserver", "java.management/sun.management", "jdk.jfr/jdk.jfr.internal",
            "jdk.jfr/jdk.jfr.internal.event", "jdk.jfr/jdk.jfr.internal.jfc",
            "jdk.management/com.sun.management.internal");

    private static final String BUILDER_MODULES = "org.graalvm.nativeimage.builder,org.graalvm.nativeimage.base,"
            + "org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure";

    private final Path sources;
    private final Path builderJars;
    private final Path work;
    private final Path support;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> hostedArgs = new ArrayList<>();
    private final List<Pattern[]> excludedConfigs = new ArrayList<>();

    NativeCheck(Path sources, Path builderJars, Path work, Path support) {
        this.sources = sources;
        this.builderJars = builderJars;
        this.work = work;
        this.support = support;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java NativeCheck.java <native-sources> <builder-jars> <work-dir> <support-dir>");
            System.exit(2);
        }
        Path sources = Path.of(args[0]).toAbsolutePath();
        NativeCheck check = new NativeCheck(sources, Path.of(args[1]).toAbsolutePath(),
                Path.of(args[2]).toAbsolutePath(), Path.of(args[3]).toAbsolutePath());
        System.exit(check.run());
    }

    int run() throws Exception {
        Path home = graalHome();
        List<String> driverArgs = readArgsFile(sources.resolve("native-image.args"));
        String imageName = null;
        Path jar = null;
        for (int i = 0; i < driverArgs.size(); i++) {
            String arg = driverArgs.get(i);
            if (arg.equals("-jar")) {
                jar = sources.resolve(driverArgs.get(++i));
            } else if (arg.equals("--exclude-config")) {
                excludedConfigs.add(new Pattern[] {Pattern.compile(driverArgs.get(++i)),
                        Pattern.compile(driverArgs.get(++i))});
            } else if (!arg.startsWith("-")) {
                imageName = arg;
            } else {
                translate(arg, "native-image.args");
            }
        }
        if (jar == null || imageName == null) {
            throw new IllegalStateException("native-image.args names no -jar or no image name");
        }
        List<Path> classPath = new ArrayList<>();
        classPath.add(jar);
        String mainClass;
        try (JarFile runner = new JarFile(jar.toFile())) {
            Manifest manifest = runner.getManifest();
            mainClass = manifest.getMainAttributes().getValue("Main-Class");
            for (String entry : manifest.getMainAttributes().getValue("Class-Path").trim().split("\\s+")) {
                classPath.add(jar.getParent().resolve(entry));
            }
            String opens = manifest.getMainAttributes().getValue("Add-Opens");
            if (opens != null) { // the java launcher honours these for -jar; the driver does the same
                for (String pkg : opens.trim().split("\\s+")) {
                    hostedArgs.add("-H:AddOpens=" + pkg + "=ALL-UNNAMED");
                }
            }
        }
        for (Path entry : classPath) {
            readNativeImageMetadata(entry);
        }

        Path out = work.resolve("out");
        Path temp = work.resolve("tmp");
        Files.createDirectories(out);
        Files.createDirectories(temp);
        String stage = System.getenv().getOrDefault("NATIVE_CHECK_STAGE", "compile");
        hostedArgs.addAll(List.of("-H:Path=" + out, "-H:Name=" + imageName, "-H:Class=" + mainClass,
                "-H:ImageBuildID=" + UUID.randomUUID(), "-H:TempDirectory=" + temp,
                "-H:CLibraryPath=" + home.resolve("lib/svm/clibraries/linux-amd64"),
                "-H:+UnlockExperimentalVMOptions",
                stage.equals("analysis") ? "-H:+ReturnAfterAnalysis" : "-H:+ExitAfterRelocatableImageWrite",
                "-H:-UnlockExperimentalVMOptions"));

        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/java").toString());
        command.addAll(builderJvmArgs());
        command.addAll(jvmArgs);
        // The JDK has its own (older) jdk.graal.compiler module: the builder's must replace it, not sit beside it.
        command.addAll(List.of("--upgrade-module-path", modulePath(true), "--module-path", modulePath(false),
                "-m", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner",
                "-imagecp", classPath.stream().map(Path::toString).collect(Collectors.joining(":"))));
        command.addAll(hostedArgs);
        Files.writeString(work.resolve("builder-command.txt"), String.join("\n", command) + "\n");

        System.out.println("[native-check] builder: " + home + ", stage: " + stage + ", command in "
                + work.resolve("builder-command.txt"));
        Instant start = Instant.now();
        Process builder = new ProcessBuilder(command).directory(work.toFile()).inheritIO().start();
        long peakKiB = 0;
        while (!builder.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
            peakKiB = Math.max(peakKiB, peakRssKiB(builder.pid()));
        }
        Duration took = Duration.between(start, Instant.now());
        int exit = builder.exitValue();
        String figures = String.format("%d min %02d s, peak RSS %.1f GiB", took.toMinutes(), took.toSecondsPart(),
                peakKiB / 1048576.0);
        if (exit != 0) {
            System.out.println("[native-check] FAILED: the image builder ended with " + exit + " after " + figures);
            return 1;
        }
        if (!stage.equals("analysis") && !objectFileWritten(temp)) {
            System.out.println("[native-check] FAILED: the builder ended without writing the object file");
            return 1;
        }
        System.out.println("[native-check] passed (" + stage + "): " + figures);
        return 0;
    }

    /**
     * A directory the builder takes for a GraalVM home: it finds its files relative to java.home. Hard links keep
     * the copy of the JDK cheap; the two native pieces that GraalVM ships and Maven Central does not are added.
     */
    private Path graalHome() throws IOException, InterruptedException {
        Path home = work.resolve("graalvm-home");
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            Path jdk = Path.of(System.getProperty("java.home"));
            Files.createDirectories(work);
            exec(List.of("cp", "-al", jdk.toString(), home.toString()), List.of("cp", "-a", jdk.toString(),
                    home.toString()));
        }
        Path helper = home.resolve("lib/svm/builder/lib/libreporterchelper.so");
        if (!Files.exists(helper)) {
            Files.createDirectories(helper.getParent());
            exec(List.of("gcc", "-shared", "-fPIC", "-O2", "-I" + home.resolve("include"),
                    "-I" + home.resolve("include/linux"), "-o", helper.toString(),
                    support.resolve("reporterchelper.c").toString()), null);
        }
        Path include = home.resolve("lib/svm/clibraries/linux-amd64/include");
        Files.createDirectories(include);
        try (Stream<Path> headers = Files.list(support.resolve("include"))) {
            for (Path header : headers.toList()) {
                Files.copy(header, include.resolve(header.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return home;
    }

    private List<String> builderJvmArgs() throws IOException {
        // Quarkus reads the builder's version from this property (the driver sets it): the svm artifacts' version
        String version;
        try (Stream<Path> jars = Files.list(builderJars)) {
            version = jars.map(p -> p.getFileName().toString()).filter(n -> n.matches("svm-[0-9.]+\\.jar"))
                    .map(n -> n.substring(4, n.length() - 4)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no svm-<version>.jar in " + builderJars));
        }
        List<String> args = new ArrayList<>(List.of(
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
                "-Xss10m", "-Xmx" + System.getenv().getOrDefault("NATIVE_CHECK_XMX", "8g"), "-XX:+UseParallelGC",
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                "-Dorg.graalvm.vendorversion=GraalVM CE " + version,
                "-Djdk.internal.lambda.disableEagerInitialization=true",
                "-Dcom.oracle.graalvm.isaot=true",
                "-Djava.awt.headless=true",
                "-Djdk.module.main=org.graalvm.nativeimage.builder",
                "--enable-native-access=org.graalvm.nativeimage.builder"));
        for (String pkg : JDK_INTERNALS) {
            args.add("--add-exports=" + pkg + "=" + BUILDER_MODULES);
        }
        // JVMCI exports its packages only to jdk.graal.compiler; the builder's modules use them too.
        for (String pkg : List.of("jdk.vm.ci.meta", "jdk.vm.ci.code", "jdk.vm.ci.code.site", "jdk.vm.ci.code.stack",
                "jdk.vm.ci.common", "jdk.vm.ci.runtime", "jdk.vm.ci.services", "jdk.vm.ci.hotspot",
                "jdk.vm.ci.amd64", "jdk.vm.ci.hotspot.amd64", "jdk.vm.ci.aarch64", "jdk.vm.ci.hotspot.aarch64",
                "jdk.vm.ci.riscv64", "jdk.vm.ci.hotspot.riscv64")) {
            args.add("--add-exports=jdk.internal.vm.ci/" + pkg + "=" + BUILDER_MODULES);
        }
        return args;
    }

    private String modulePath(boolean compiler) throws IOException {
        try (Stream<Path> jars = Files.list(builderJars)) {
            return jars.filter(p -> p.toString().endsWith(".jar"))
                    .filter(p -> p.getFileName().toString().startsWith("compiler-") == compiler)
                    .sorted().map(Path::toString)
                    .collect(Collectors.joining(":"));
        }
    }

    /** native-image.properties (Args, JavaArgs) and configuration directories under META-INF/native-image. */
    private void readNativeImageMetadata(Path entry) throws IOException {
        if (!Files.isRegularFile(entry)) {
            return;
        }
        Set<String> configDirs = new LinkedHashSet<>();
        try (JarFile jar = new JarFile(entry.toFile())) {
            for (ZipEntry e : jar.stream().toList()) {
                String name = e.getName();
                if (!name.startsWith("META-INF/native-image/") || e.isDirectory()) {
                    continue;
                }
                String dir = name.substring(0, name.lastIndexOf('/'));
                if (name.endsWith("/native-image.properties")) {
                    Properties props = new Properties();
                    try (InputStream in = jar.getInputStream(e)) {
                        props.load(in);
                    }
                    String origin = entry.getFileName() + "!/" + name;
                    for (String arg : splitArgs(props.getProperty("Args", ""), dir)) {
                        translate(arg, origin);
                    }
                    jvmArgs.addAll(splitArgs(props.getProperty("JavaArgs", ""), dir));
                } else if (name.endsWith(".json") && !excluded(entry, "/" + name)) {
                    configDirs.add(dir);
                }
            }
        }
        for (String dir : configDirs) {
            hostedArgs.add("-H:ConfigurationResourceRoots=" + dir);
        }
    }

    private boolean excluded(Path jar, String resource) {
        return excludedConfigs.stream().anyMatch(p -> p[0].matcher(jar.getFileName().toString()).find()
                && p[1].matcher(resource).matches());
    }

    /** One driver argument into builder arguments; an option the table does not know fails the check. */
    private void translate(String arg, String origin) {
        if (arg.startsWith("-J")) {
            jvmArgs.add(arg.substring(2));
        } else if (arg.startsWith("-H:")) {
            hostedArgs.add(arg);
        } else if (arg.startsWith("-D")) {
            jvmArgs.add(arg);
        } else if (arg.equals("--no-fallback")) {
            hostedArgs.add("-H:FallbackThreshold=0");
        } else if (arg.equals("--report-unsupported-elements-at-runtime")) {
            hostedArgs.add("-H:+ReportUnsupportedElementsAtRuntime");
        } else if (arg.startsWith("--initialize-at-build-time") || arg.startsWith("--initialize-at-run-time")) {
            String suffix = arg.startsWith("--initialize-at-build-time") ? ":build_time" : ":run_time";
            int eq = arg.indexOf('=');
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            hostedArgs.add("-H:ClassInitialization=" + Arrays.stream(value.split(","))
                    .map(c -> c + suffix).collect(Collectors.joining(",")));
        } else {
            for (String[] option : VALUE_OPTIONS) {
                if (arg.equals(option[0]) || arg.startsWith(option[0] + "=")) {
                    String value = arg.equals(option[0]) ? "" : arg.substring(option[0].length() + 1);
                    hostedArgs.add("-H:" + option[1] + "=" + value);
                    return;
                }
            }
            throw new IllegalArgumentException("native check: no translation for the driver option '" + arg
                    + "' (from " + origin + "); add it to NativeCheck.VALUE_OPTIONS or translate()");
        }
    }

    private static List<String> readArgsFile(Path file) throws IOException {
        return splitArgs(Files.readString(file), null);
    }

    /** Whitespace-separated arguments; {@code ${.}} is the directory of the properties file. */
    private static List<String> splitArgs(String text, String dir) {
        String expanded = dir == null ? text : text.replace("${.}", dir);
        return Arrays.stream(expanded.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean objectFileWritten(Path temp) throws IOException {
        try (Stream<Path> files = Files.walk(temp)) {
            return files.anyMatch(p -> p.toString().endsWith(".o"));
        }
    }

    private static long peakRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process just ended
        }
        return 0;
    }

    private static void exec(List<String> command, List<String> fallback) throws IOException, InterruptedException {
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0 && fallback != null) {
            exit = new ProcessBuilder(fallback).inheritIO().start().waitFor();
        }
        if (exit != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }
}
