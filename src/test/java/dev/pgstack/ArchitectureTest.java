package dev.pgstack;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import dev.pgstack.company.Company;

/**
 * The dependency rule of ARCHITECTURE.md, checked on the classes of {@code src/main} (tests are not imported):
 * <b>features → web → management → problem → db</b>, and nothing points back up.
 * <p>
 * Where the packages that are not in that chain sit, from their imports today:
 * <ul>
 * <li>{@code dev.pgstack} itself ({@code PgstackMain}, the command dispatcher) is on top, beside the features: it
 * uses {@code db} ({@code db.config}, {@code db.migrate}) and nothing uses it;</li>
 * <li>{@code observability} (the {@code OTEL_*} variables) and {@code runtime} (event loops, production logs) are
 * process-wide and stand apart: they use no other pgstack package, and no pgstack package uses them (Quarkus
 * finds them as CDI beans and configuration sources).</li>
 * </ul>
 * The features use no other feature, except {@code agent}, which uses {@code company}'s entity {@link Company}
 * (an agent may belong to a company): exactly that one class is allowed.
 */
@AnalyzeClasses(packages = "dev.pgstack", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String[] FEATURES = { "dev.pgstack.chat..", "dev.pgstack.catalog..", "dev.pgstack.company..",
            "dev.pgstack.agent.." };

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("main").definedBy("dev.pgstack")
            .layer("features").definedBy(FEATURES)
            .layer("web").definedBy("dev.pgstack.web..")
            .layer("management").definedBy("dev.pgstack.management..")
            .layer("problem").definedBy("dev.pgstack.problem..")
            .layer("db").definedBy("dev.pgstack.db..")
            .layer("process-wide").definedBy("dev.pgstack.observability..", "dev.pgstack.runtime..")
            .whereLayer("main").mayNotBeAccessedByAnyLayer()
            .whereLayer("features").mayNotBeAccessedByAnyLayer()
            .whereLayer("web").mayOnlyBeAccessedByLayers("features")
            .whereLayer("management").mayOnlyBeAccessedByLayers("features", "web")
            .whereLayer("problem").mayOnlyBeAccessedByLayers("features", "web", "management")
            .whereLayer("db").mayOnlyBeAccessedByLayers("main", "features", "web", "management", "problem")
            .whereLayer("process-wide").mayNotBeAccessedByAnyLayer()
            .whereLayer("process-wide").mayNotAccessAnyLayer()
            .because("dependencies point one way, features → web → management → problem → db (ARCHITECTURE.md)");

    @ArchTest
    static final ArchRule featuresAreIndependent = slices().matching("dev.pgstack.(chat|catalog|company|agent)..")
            .namingSlices("feature $1").should().notDependOnEachOther()
            .ignoreDependency(resideInAPackage("dev.pgstack.agent.."), equivalentTo(Company.class))
            .because("a feature uses no other feature; an agent may belong to a company (its entity only)");

    @ArchTest
    static final ArchRule problemUsesOnlyTheKindsOfFailure = noClasses().that().resideInAPackage("dev.pgstack.problem..")
            .should().dependOnClassesThat(resideInAPackage("dev.pgstack.db..")
                    .and(not(resideInAPackage("dev.pgstack.db.sql.."))))
            .because("problem maps db.sql's kinds of failure to problem types and needs nothing else of db");

    @ArchTest
    static final ArchRule onlyCompatReadsManagement = noClasses().that().resideInAPackage("dev.pgstack.web..")
            .and().resideOutsideOfPackage("dev.pgstack.web.compat..")
            .should().dependOnClassesThat().resideInAPackage("dev.pgstack.management..")
            .because("only web/compat's /health reads readiness's last answer");

    @ArchTest
    static final ArchRule webRoomsUseEachOtherOneWay = slices().matching("dev.pgstack.web.(*)..")
            .should().beFreeOfCycles();
}
