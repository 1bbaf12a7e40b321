package dev.hako.lab.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The shared libraries inside LWJGL's {@code natives-linux} jars (Maven Central), extracted from the class path to
 * a temporary directory so that {@code dlopen} can load them. Only the loader is LWJGL's packaging: no LWJGL code
 * runs.
 */
final class LwjglNatives {
    private LwjglNatives() {}

    /** Extracts {@code lib<name>.so} of module {@code lwjgl-<name>} and returns its path. */
    static Path extract(String name) {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the LWJGL " + name + " peer needs linux/x64 (lwjgl-" + name
                    + ":natives-linux); this is " + os + "/" + arch);
        }
        String resource = "linux/x64/org/lwjgl/" + name + "/lib" + name + ".so";
        try (InputStream in = LwjglNatives.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (need the Maven artifact"
                        + " org.lwjgl:lwjgl-" + name + ":natives-linux)");
            }
            Path dir = Files.createTempDirectory("hako-lwjgl-" + name);
            Path lib = dir.resolve("lib" + name + ".so");
            Files.copy(in, lib);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource, e);
        }
    }

    /** The upstream commit LWJGL built the library from (its {@code .so.git} file), or "?". */
    static String sourceCommit(String name) {
        String resource = "META-INF/linux/x64/org/lwjgl/" + name + "/lib" + name + ".so.git";
        try (InputStream in = LwjglNatives.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? "?" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
