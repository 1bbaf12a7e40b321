package dev.hako.netty;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detectors, made to keep what they report. Netty builds its {@code ByteBuf} detector once, when
 * {@code AbstractByteBuf} is initialised, from the factory installed at that moment; so {@link #install()} must run
 * before the JVM's first buffer, and {@link #buildsByteBufDetector()} tells whether it did.
 */
final class LeakRecorder extends ResourceLeakDetectorFactory {
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final Set<Class<?>> built = ConcurrentHashMap.newKeySet();

    private LeakRecorder() {}

    static LeakRecorder install() {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(recorder);
        return recorder;
    }

    /** Whether Netty's {@code ByteBuf} leak detector came from this factory. */
    boolean buildsByteBufDetector() {
        return built.contains(ByteBuf.class);
    }

    /** Every leak reported so far: the resource type and, at ADVANCED or PARANOID, where it was last touched. */
    List<String> leaks() {
        return List.copyOf(leaks);
    }

    void clear() {
        leaks.clear();
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        built.add(resource);
        return new ResourceLeakDetector<>(resource, samplingInterval) {
            @Override
            protected boolean needReport() {
                return true; // whatever the logging set-up says
            }

            @Override
            protected void reportTracedLeak(String resourceType, String records) {
                leaks.add(resourceType + records);
            }

            @Override
            protected void reportUntracedLeak(String resourceType) {
                leaks.add(resourceType);
            }
        };
    }

    /** Netty's abstract hook; {@code maxActive} is ignored by Netty itself. */
    @Deprecated
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                               long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }
}
