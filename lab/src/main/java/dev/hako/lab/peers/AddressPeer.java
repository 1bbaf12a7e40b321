package dev.hako.lab.peers;

/** A peer whose blocks are raw addresses: no Java object per block, no boxing. */
public non-sealed interface AddressPeer extends Peer {
    /**
     * Opens the calling thread's handle. Call it in the thread that will use the handle, once, and
     * {@link AddressHandle#close() close} it in the same thread when done.
     *
     * @param thread the worker's index (or {@link #CLEANUP} for the harness's own untimed frees); peers may use
     *               it to keep per-thread state apart
     */
    AddressHandle open(int thread);

    /** Thread index of the harness's clean-up handle. */
    int CLEANUP = -1;
}
