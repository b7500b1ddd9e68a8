package dev.wslab.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one command line: every subcommand in one registry, one usage text, usage errors exit 2. */
class LabMainTest {
    @Test
    void theUsageNamesEverySubcommandOnceWithItsMeaning() {
        String usage = Subcommand.usage();
        for (Subcommand s : Subcommand.values()) {
            long lines = usage.lines().filter(l -> l.equals("  " + s.word()) || l.startsWith("  " + s.word() + " ")).count();
            assertThat(lines).as("lines that start the usage of " + s.word()).isEqualTo(1);
        }
        assertThat(usage).contains("stop everything the lab started").contains("--strategy all|batches|spread|lb-only");
    }

    @Test
    void noCommandAnUnknownOneAndChaosWithoutAFaultAreUsageErrors() {
        assertThat(LabMain.run(new String[0])).isEqualTo(2);
        assertThat(LabMain.run(new String[] {"frobnicate"})).isEqualTo(2);
        assertThat(LabMain.run(new String[] {"chaos"})).isEqualTo(2);
        assertThat(LabMain.run(new String[] {"chaos", "--repeats", "1"})).isEqualTo(2);
    }

    @Test
    void aCommandOfTheLoadTestModuleThatIsNotOnTheClassPathFailsSayingSo() {
        // The launcher's own tests run without the load-test module: its classes cannot be found.
        assertThat(LabMain.run(new String[] {"soak", "--minutes", "1"})).isEqualTo(1);
    }

    @Test
    void everySubcommandIsFoundByItsWord() {
        for (Subcommand s : Subcommand.values()) {
            assertThat(Subcommand.named(s.word())).contains(s);
        }
        assertThat(Subcommand.named("nosuch")).isEmpty();
    }
}
