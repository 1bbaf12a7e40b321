package dev.hako.check;

/**
 * The process-wide checked-mode switch ({@code -Dhako.checked=true}), read once into a {@code static final} so
 * that the checks cost nothing when off. Checked mode detects double frees, frees of interior pointers and a
 * heap handle used from a thread that does not own it, each with a clear exception, at the price of an atomic
 * bitmap update per malloc and free.
 */
public final class Checked {
    private Checked() {}

    public static final String PROPERTY = "hako.checked";
    public static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
}
