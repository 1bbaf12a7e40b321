package dev.hako;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package arrows of {@code docs/ARCHITECTURE.md} hold in the code: the layers line there is read, and every
 * import of one core package by another must point to a lower layer (so there is no cycle either). Packages on one
 * layer do not use each other.
 */
class ArchitectureTest {
    private static final Pattern LAYERS = Pattern.compile("Layers, top to bottom: `([^`]+)`");

    /** The documented layers, top first: package names relative to {@code dev.hako} ({@code .} is the API). */
    static List<List<String>> documentedLayers() throws IOException {
        Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
        Matcher m = LAYERS.matcher(Files.readString(doc));
        assertTrue(m.find(), "docs/ARCHITECTURE.md has no 'Layers, top to bottom: `a > b, c > d`' line");
        List<List<String>> layers = new ArrayList<>();
        for (String layer : m.group(1).split(">")) {
            List<String> names = new ArrayList<>();
            for (String name : layer.split(",")) names.add(name.strip());
            layers.add(names);
        }
        return layers;
    }

    static String packageKey(String packageName) {
        return packageName.equals("dev.hako") ? "dev.hako" : packageName.substring("dev.hako.".length());
    }

    @Test
    void importsShouldPointOnlyToLowerLayers() throws IOException {
        List<List<String>> layers = documentedLayers();
        Map<String, Integer> layerOf = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) for (String p : layers.get(i)) layerOf.put(p, i);
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hako");
        TreeSet<String> seen = new TreeSet<>(), violations = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = packageKey(c.getPackageName());
            seen.add(from);
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (!target.getPackageName().startsWith("dev.hako")) continue;
                String to = packageKey(target.getPackageName());
                if (to.equals(from)) continue;
                Integer a = layerOf.get(from), b = layerOf.get(to);
                if (a == null || b == null || b <= a) violations.add(from + " -> " + to + " (" + c.getSimpleName()
                        + " uses " + target.getSimpleName() + ")");
            }
        }
        assertEquals(new TreeSet<>(layerOf.keySet()), seen, "the layers line names exactly the core's packages");
        assertTrue(violations.isEmpty(), "imports against the documented layers:\n" + String.join("\n", violations));
    }
}
