package dev.hako.lab.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One echo measurement in this JVM: a server and {@code connections} clients over loopback TCP (NIO), every
 * buffer from one allocator.
 *
 * <p>The server's event loops read each request into a buffer they allocate and hand it to a worker thread (one
 * per connection, so replies keep their order); the worker allocates the reply, copies the request into it,
 * releases the request (a free on another thread than the allocating one) and writes the reply, which the event
 * loop releases once written (again a foreign thread). Each client connection sends a message of {@code size}
 * bytes, waits for all of it to come back, and sends the next; its event loop allocates, reads and releases.
 * Throughput is complete round trips per second over the measured window, after a warm-up.
 */
public final class EchoPipeline {
    /** Threads of the set-up, the same for every allocator. */
    public static final int SERVER_LOOPS = 2, SERVER_WORKERS = 2, CLIENT_LOOPS = 2;

    private EchoPipeline() {}

    /**
     * @param messages      round trips completed in the window
     * @param seconds       the window's length
     * @param directBytes   the allocator's {@code usedDirectMemory} at the end of the window, or -1
     * @param gcCount       garbage collections in the window
     * @param gcMillis      time the collectors report for them
     */
    public record Result(long messages, double seconds, long directBytes, long gcCount, long gcMillis) {
        public double messagesPerSecond() {
            return messages / seconds;
        }
    }

    /** Runs the echo: warm-up, then the measured window; everything is shut down before it returns. */
    public static Result run(ByteBufAllocator alloc, int connections, int size, double warmupSeconds,
                             double seconds) throws InterruptedException {
        EventLoopGroup boss = loops("echo-accept", 1);
        EventLoopGroup serverLoops = loops("echo-server", SERVER_LOOPS);
        EventLoopGroup clientLoops = loops("echo-client", CLIENT_LOOPS);
        ExecutorService[] workers = new ExecutorService[SERVER_WORKERS];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("echo-worker-" + i).factory());
        }
        LongAdder completed = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Channel> channels = new ArrayList<>();
        try {
            AtomicInteger accepted = new AtomicInteger();
            Channel server = new ServerBootstrap().group(boss, serverLoops).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .childOption(ChannelOption.ALLOCATOR, alloc)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Server(workers[accepted.getAndIncrement() % workers.length],
                                    failure));
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            channels.add(server);
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) payload[i] = (byte) (i * 31 + 7);
            for (int c = 0; c < connections; c++) {
                channels.add(new Bootstrap().group(clientLoops).channel(NioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, alloc)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new Client(payload, completed, failure))
                        .connect(server.localAddress()).sync().channel());
            }
            sleep(warmupSeconds);
            long[] gc0 = gc();
            long m0 = completed.sum(), t0 = System.nanoTime();
            sleep(seconds);
            long m1 = completed.sum(), t1 = System.nanoTime();
            long[] gc1 = gc();
            long direct = alloc instanceof ByteBufAllocatorMetricProvider p ? p.metric().usedDirectMemory() : -1;
            if (failure.get() != null) throw new IllegalStateException("the echo failed: " + failure.get(), failure.get());
            return new Result(m1 - m0, (t1 - t0) / 1e9, direct, gc1[0] - gc0[0], gc1[1] - gc0[1]);
        } finally {
            for (Channel ch : channels) ch.close().syncUninterruptibly();
            for (EventLoopGroup g : List.of(boss, serverLoops, clientLoops)) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            }
            for (ExecutorService w : workers) {
                w.shutdown();
                w.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static EventLoopGroup loops(String name, int n) {
        return new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory(name), NioIoHandler.newFactory());
    }

    /** Collections and their time so far, over every collector. */
    private static long[] gc() {
        long count = 0, millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    /** The server side of a connection: request read on the event loop, reply made and request freed on a worker. */
    private static final class Server extends ChannelInboundHandlerAdapter {
        private final ExecutorService worker;
        private final AtomicReference<Throwable> failure;

        Server(ExecutorService worker, AtomicReference<Throwable> failure) {
            this.worker = worker;
            this.failure = failure;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf request = (ByteBuf) msg;
            worker.execute(() -> {
                ByteBuf reply;
                try {
                    reply = ctx.alloc().directBuffer(request.readableBytes());
                    reply.writeBytes(request);
                } finally {
                    request.release();
                }
                ctx.writeAndFlush(reply, ctx.voidPromise());
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
            ctx.close();
        }
    }

    /** A client connection: one message in flight; the next is sent once the whole echo is back. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        private final byte[] payload;
        private final LongAdder completed;
        private final AtomicReference<Throwable> failure;
        private int received;

        Client(byte[] payload, LongAdder completed, AtomicReference<Throwable> failure) {
            this.payload = payload;
            this.completed = completed;
            this.failure = failure;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf echo = (ByteBuf) msg;
            received += echo.readableBytes();
            echo.release();
            if (received > payload.length) {
                exceptionCaught(ctx, new IllegalStateException(received + " bytes back for " + payload.length + " sent"));
            } else if (received == payload.length) {
                received = 0;
                completed.increment();
                send(ctx);
            }
        }

        private void send(ChannelHandlerContext ctx) {
            ByteBuf out = ctx.alloc().directBuffer(payload.length);
            out.writeBytes(payload);
            ctx.writeAndFlush(out, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
            ctx.close();
        }
    }
}
