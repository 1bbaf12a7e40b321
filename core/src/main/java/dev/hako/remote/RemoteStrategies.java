package dev.hako.remote;

import java.util.List;

/**
 * The catalogue of remote-free strategies, by the name given to {@code -Dhako.remote}. Only the chosen
 * strategy's class is loaded, so the seam's calls stay monomorphic.
 */
public final class RemoteStrategies {
    private RemoteStrategies() {}

    /** {@code parcel}: measured in {@code docs/remote/parcel.md} ({@code push} stays the seed's baseline). */
    public static final String DEFAULT = ParcelRemoteFree.NAME;

    /** Every strategy name, in the order reports list them. */
    public static List<String> names() {
        return List.of(
                PushRemoteFree.NAME,
                BatchRemoteFree.NAME,
                Mailbox0RemoteFree.NAME,
                Mailbox2RemoteFree.NAME,
                InboxRemoteFree.NAME,
                ParcelRemoteFree.NAME);
    }

    /** @throws IllegalArgumentException naming the known strategies if {@code name} is not one */
    public static void requireKnown(String name) {
        if (name == null || !names().contains(name)) {
            throw new IllegalArgumentException("unknown remote-free strategy '" + name + "'; known: "
                    + String.join(", ", names()));
        }
    }

    public static RemoteFree create(String name, RemoteContext context) {
        return switch (name) {
            case PushRemoteFree.NAME -> new PushRemoteFree(context);
            case BatchRemoteFree.NAME -> new BatchRemoteFree(context);
            case Mailbox0RemoteFree.NAME -> new Mailbox0RemoteFree(context);
            case Mailbox2RemoteFree.NAME -> new Mailbox2RemoteFree(context);
            case InboxRemoteFree.NAME -> new InboxRemoteFree(context);
            case ParcelRemoteFree.NAME -> new ParcelRemoteFree(context);
            default -> throw new IllegalArgumentException("unknown remote-free strategy '" + name
                    + "'; known: " + String.join(", ", names()));
        };
    }
}
