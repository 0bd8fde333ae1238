package dev.fanout.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package tree reads as the data flow (source → stage → copy → load, replication, mirror, server,
 * cli) only while no package depends, however indirectly, on one that depends on it.
 */
class PackageCyclesTest {
  private static final JavaClasses FANOUT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.fanout");

  @Test
  void noPackageOfFanoutDependsOnItselfThroughOthers() {
    slices().matching("dev.fanout.(*)..").should().beFreeOfCycles().check(FANOUT);
  }
}
