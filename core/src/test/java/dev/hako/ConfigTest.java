package dev.hako;

import dev.hako.layout.PageMap;
import dev.hako.remote.RemoteStrategies;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HakoConfig: defaults, validation, byte sizes, system properties. */
class ConfigTest {

    @Test
    void defaultsShouldMatchTheDocumentedTable() {
        HakoConfig c = HakoConfig.defaults();
        assertEquals(64L << 30, c.arenaBytes());
        assertEquals(1024, c.maxOwners());
        assertEquals(RemoteStrategies.DEFAULT, c.remote());
        assertEquals("parcel", c.remote());
        assertEquals(200, c.reaperIntervalMillis());
        assertTrue(c.sharedHeaps() >= 2 && c.sharedHeaps() <= 16);
        assertEquals(4 * Runtime.getRuntime().availableProcessors(), c.virtualHeaps());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void shouldRejectBadGeometry() {
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().arenaBytes((1 << 20) - 65536).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().arenaBytes((1L << 30) + 4096).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().arenaBytes(0).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().arenaBytes(-(1L << 30)).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().sharedHeaps(0).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().maxOwners(4).sharedHeaps(4).build());
        assertThrows(IllegalArgumentException.class,
                () -> HakoConfig.builder().maxOwners(PageMap.MAX_OWNER + 1).sharedHeaps(2).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().reaperIntervalMillis(0).build());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().virtualHeaps(-1).build());
        HakoConfig.builder().arenaBytes(1 << 20).maxOwners(2).sharedHeaps(1).reaperIntervalMillis(1).build();
    }

    @Test
    void unknownStrategyShouldNameTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HakoConfig.builder().remote("carrier-pigeon").build());
        for (String name : RemoteStrategies.names()) assertTrue(e.getMessage().contains(name), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HakoConfig.builder().remote(null).build());
        for (String name : RemoteStrategies.names()) assertEquals(name, HakoConfig.builder().remote(name).build().remote());
    }

    @Test
    void parseBytesShouldReadSuffixesAndRejectNonsense() {
        assertEquals(123, HakoConfig.parseBytes("123"));
        assertEquals(64L << 10, HakoConfig.parseBytes("64k"));
        assertEquals(512L << 20, HakoConfig.parseBytes("512m"));
        assertEquals(64L << 30, HakoConfig.parseBytes(" 64G "));
        assertEquals(1L << 40, HakoConfig.parseBytes("1t"));
        for (String bad : new String[] {"", "k", "abc", "1.5g", "99999999t", "12x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HakoConfig.parseBytes(bad),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void fromSystemPropertiesShouldReadEveryProperty() {
        Map<String, String> props = Map.of(HakoConfig.REMOTE_PROPERTY, RemoteStrategies.names().getLast(),
                HakoConfig.ARENA_PROPERTY, "2g", HakoConfig.OWNERS_PROPERTY, "40", HakoConfig.SHARED_PROPERTY, "3",
                HakoConfig.VIRTUAL_PROPERTY, "5", HakoConfig.REAPER_PROPERTY, "77");
        Map<String, String> saved = new java.util.HashMap<>();
        props.keySet().forEach(k -> saved.put(k, System.getProperty(k)));
        try {
            props.forEach(System::setProperty);
            HakoConfig c = HakoConfig.fromSystemProperties();
            assertEquals(new HakoConfig(2L << 30, 40, 3, 5, RemoteStrategies.names().getLast(), 77, 500,
                    HakoConfig.ADVICE_DONTNEED, 256, 1L << 20, 0), c);
            String line = c.describe();
            for (String part : new String[] {"remote=" + c.remote(), "arena=2048MiB", "owners=40", "shared=3",
                    "virtual=5", "reaper_ms=77", "stats=", "checked="}) {
                assertTrue(line.contains(part), line);
            }
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) System.clearProperty(k); else System.setProperty(k, v);
            });
        }
    }

    @Test
    void describeShouldNameTheConfiguration() {
        try (HakoAllocator hako = TestHako.create()) {
            assertTrue(hako.describe().startsWith("hako remote=parcel arena=1024MiB owners=32 shared=2"), hako.describe());
            assertEquals(TestHako.config().build(), hako.config());
        }
    }

    @org.junit.jupiter.api.Test
    void parcelSettingsShouldComeFromTheConfigAndItsLimitsBeChecked() {
        HakoConfig c = HakoConfig.builder().parcelOpen(16).parcelBudget(64 << 10).parcelMissFlush(8).build();
        assertTrue(c.describe().contains("parcel_open=16") && c.describe().contains("parcel_budget=65536"),
                c.describe());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HakoConfig.builder().maxOwners(HakoConfig.MAX_PARCEL_OWNERS + 1).build());
        assertTrue(e.getMessage().contains("remote=parcel serves at most"), e.getMessage());
        HakoConfig.builder().maxOwners(HakoConfig.MAX_PARCEL_OWNERS + 1).remote("push").build(); // push can
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HakoConfig.builder().parcelOpen(0).build());
        assertTrue(HakoConfig.propertyNames().containsAll(java.util.List.of("hako.parcel.missFlush", "hako.decay.ms",
                "hako.jmx", "hako.stats", "hako.checked")));
    }
}
