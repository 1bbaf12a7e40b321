package dev.hako.lab.ab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariantSpecTest {
    @Test
    void plainAllocator() {
        VariantSpec s = VariantSpec.parse("netty-pooled");
        assertEquals("netty-pooled", s.allocator());
        assertTrue(s.properties().isEmpty());
        assertFalse(s.isHako());
        assertNull(s.remote());
    }

    @Test
    void remoteMapsToHakoRemoteAndOtherKeysToProperties() {
        VariantSpec s = VariantSpec.parse("hako:remote=push,hako.arena=8g");
        assertEquals("hako", s.allocator());
        assertEquals(Map.of("hako.remote", "push", "hako.arena", "8g"), s.properties());
        assertEquals("push", s.remote());
        assertTrue(s.isHako());
        assertEquals("hako/push+1", s.shortLabel());
        assertEquals("hako:remote=push,hako.arena=8g", s.text());
    }

    @Test
    void nettyHakoTakesHakoOptionsButIsNotTheHakoPeer() {
        VariantSpec s = VariantSpec.parse("netty-hako:remote=parcel");
        assertEquals("netty-hako", s.allocator());
        assertEquals(Map.of("hako.remote", "parcel"), s.properties());
        assertEquals("netty-hako/parcel", s.shortLabel());
        assertFalse(s.isHako());
    }

    @Test
    void peersTakeForeignDottedProperties() {
        VariantSpec s = VariantSpec.parse("netty-pooled:io.netty.allocator.maxOrder=9");
        assertEquals(Map.of("io.netty.allocator.maxOrder", "9"), s.properties());
    }

    @Test
    void nativeLibraryPathMayHoldColonsAndTakesOptionsAfterKeyEquals() {
        VariantSpec plain = VariantSpec.parse("native:/opt/a:b/libtcmalloc.so");
        assertEquals("native:/opt/a:b/libtcmalloc.so", plain.allocator());
        assertTrue(plain.properties().isEmpty());
        VariantSpec withOption = VariantSpec.parse("native:/usr/lib/libx.so:some.flag=1");
        assertEquals("native:/usr/lib/libx.so", withOption.allocator());
        assertEquals(Map.of("some.flag", "1"), withOption.properties());
        assertEquals("native:libx.so+1", withOption.shortLabel());
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "' '                              | empty spec",
            "hako:                            | nothing after ':'",
            "hako:remote                      | is not key=value",
            "hako:remote=                     | empty value",
            "hako:remote=nope                 | unknown remote-free strategy 'nope'; known on this build: push",
            "tcmalloc                         | unknown allocator 'tcmalloc'; known: hako, noop, glibc",
            "glibc:remote=push                | 'remote' applies only to the hako allocator",
            "noop:hako.arena=1g               | applies only to the hako allocator",
            "hako:hako.stats=true             | hako.stats is set by the lab",
            "hako:hako.arean=8g               | unknown Hako property 'hako.arean'",
            "hako:remote=push,hako.remote=push | 'hako.remote' given twice",
            "hako:colour=red                  | unknown option 'colour'",
            "native:                          | native: needs a library path",
            "hako:remote=push,,               | is not key=value",
            "hako:1x.y=2                      | not a valid key",
    })
    void badSpecsSayWhatIsWrong(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VariantSpec.parse(spec));
        assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("bad variant spec"), e.getMessage());
    }

    @Test
    void spacesInsideAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VariantSpec.parse("hako: remote=push"));
        assertTrue(e.getMessage().contains("no spaces"), e.getMessage());
    }

    /** build=DIR runs another build's lab (before/after A/B): its jar and libraries on the forked JVM's classpath. */
    @Test
    void buildShouldPointTheForkedJvmAtAnotherLab(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.createFile(dir.resolve("hako-lab.jar"));
        java.nio.file.Files.createDirectory(dir.resolve("lib"));
        VariantSpec v = VariantSpec.parse("hako:remote=push,build=" + dir);
        assertEquals(dir.toAbsolutePath().toString(), v.build());
        assertEquals(Map.of("hako.remote", "push"), v.properties());
        java.util.List<String> cmd = new JvmCommand("java", "this.jar").command(java.util.List.of(), v.properties(),
                java.util.List.of("bench"));
        assertTrue(cmd.contains("this.jar"), "command() keeps this build");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VariantSpec.parse("hako:build=" + dir.resolve("nope")));
        assertTrue(e.getMessage().contains("not a lab/target directory"), e.getMessage());
        assertNull(VariantSpec.parse("hako").build());
    }
}
