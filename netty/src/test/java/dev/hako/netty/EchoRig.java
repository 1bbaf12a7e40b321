package dev.hako.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.util.concurrent.FastThreadLocalThread;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An echo server and its clients over loopback TCP (NIO), every buffer from one allocator, and every buffer
 * released on another thread than the one that allocated it:
 * <ul>
 *   <li>the server's event loop reads a request; a server worker copies it into a reply it allocates, releases
 *       the request, and writes the reply, which the event loop releases once written;</li>
 *   <li>the client's event loop reads the echo; a client worker checks every byte against what was sent and
 *       releases it, then sends the next message, allocated on the worker (even messages) or on the event loop
 *       (odd ones, a local free when written).</li>
 * </ul>
 * Each connection sends its messages one at a time (the next once the previous has come back whole). Every thread
 * the rig starts is joined by {@link #shutDown()}, so the allocator is quiet afterwards.
 */
final class EchoRig {
    private final ByteBufAllocator alloc;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final EventLoopGroup boss = loops("echo-boss", 1);
    private final EventLoopGroup serverLoops = loops("echo-server-loop", 2);
    private final EventLoopGroup clientLoops = loops("echo-client-loop", 2);
    private final ExecutorService[] serverWorkers = workers("echo-server-worker", 2);
    private final ExecutorService[] clientWorkers = workers("echo-client-worker", 2);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger acceptedConnections = new AtomicInteger();
    private final List<Channel> channels = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    EchoRig(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * Runs {@code count} connections of {@code messages} messages each, their sizes drawn from {@code seed}: most
     * up to {@code maxMessage} bytes, every tenth {@code largeMessage} bytes.
     *
     * @throws AssertionError if the echo has not finished after {@code limitSeconds} (a hang, with each
     *                        connection's progress)
     */
    void run(int count, int messages, int maxMessage, int largeMessage, long seed, long limitSeconds)
            throws InterruptedException {
        Channel server = new ServerBootstrap().group(boss, serverLoops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, alloc)
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int worker = acceptedConnections.getAndIncrement() % serverWorkers.length;
                        ch.pipeline().addLast(new ServerHandler(serverWorkers[worker]));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        channels.add(server);
        CountDownLatch done = new CountDownLatch(count);
        Random rnd = new Random(seed);
        for (int c = 0; c < count; c++) {
            int[] sizes = new int[messages];
            for (int m = 0; m < messages; m++) sizes[m] = m % 10 == 9 ? largeMessage : 1 + rnd.nextInt(maxMessage);
            Connection conn = new Connection(c, sizes, clientWorkers[c % clientWorkers.length], done);
            connections.add(conn);
            channels.add(new Bootstrap().group(clientLoops).channel(NioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, alloc).handler(conn)
                    .connect(server.localAddress()).sync().channel());
        }
        if (!done.await(limitSeconds, TimeUnit.SECONDS)) {
            fail(new AssertionError("the echo did not finish in " + limitSeconds + " s: " + progress()));
        }
    }

    /** The first failure seen on any thread, or null. */
    Throwable failure() {
        return failure.get();
    }

    List<Connection> connections() {
        return connections;
    }

    /** Closes every channel, stops every event loop and worker, and joins their threads. */
    void shutDown() throws InterruptedException {
        for (Channel ch : channels) ch.close().syncUninterruptibly();
        for (EventLoopGroup g : List.of(boss, serverLoops, clientLoops)) {
            g.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (ExecutorService[] pool : List.of(serverWorkers, clientWorkers)) {
            for (ExecutorService w : pool) {
                w.shutdown();
                if (!w.awaitTermination(30, TimeUnit.SECONDS)) fail(new AssertionError("a worker did not stop"));
            }
        }
        for (Thread t : threads) t.join();
    }

    private String progress() {
        StringBuilder sb = new StringBuilder();
        for (Connection c : connections) sb.append(' ').append(c.id).append(':').append(c.received).append('/')
                .append(c.total());
        return sb.toString();
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
    }

    private ChannelFutureListener failOnError() {
        return f -> {
            if (!f.isSuccess()) fail(f.cause());
        };
    }

    /** The byte at offset {@code offset} of connection {@code id}'s stream: no short period, differs by connection. */
    static byte pattern(int id, long offset) {
        return (byte) (offset * 131 + id * 17 + (offset >>> 9));
    }

    private EventLoopGroup loops(String name, int n) {
        return new MultiThreadIoEventLoopGroup(n, threads(name, true), NioIoHandler.newFactory());
    }

    private ExecutorService[] workers(String name, int n) {
        ExecutorService[] pool = new ExecutorService[n];
        for (int i = 0; i < n; i++) pool[i] = Executors.newSingleThreadExecutor(threads(name + "-" + i, false));
        return pool;
    }

    private ThreadFactory threads(String name, boolean eventLoop) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            String threadName = name + "-" + n.getAndIncrement();
            Thread t = eventLoop ? new FastThreadLocalThread(r, threadName) : new Thread(r, threadName);
            threads.add(t);
            return t;
        };
    }

    /** The server side of one connection: requests go to one worker (so replies keep their order). */
    private final class ServerHandler extends ChannelInboundHandlerAdapter {
        private final ExecutorService worker;

        ServerHandler(ExecutorService worker) {
            this.worker = worker;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf request = (ByteBuf) msg;
            worker.execute(() -> {
                ByteBuf reply = ctx.alloc().directBuffer(request.readableBytes());
                try {
                    reply.writeBytes(request);
                } catch (RuntimeException e) {
                    reply.release();
                    fail(e);
                    return;
                } finally {
                    request.release();
                }
                ctx.writeAndFlush(reply).addListener(failOnError());
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }
    }

    /** One client connection: sends its messages one at a time and checks every echoed byte on its worker. */
    final class Connection extends ChannelInboundHandlerAdapter {
        final int id;
        private final int[] sizes;
        private final ExecutorService worker;
        private final CountDownLatch done;
        // Touched on the worker only (channelActive hands over to it).
        private int sent;
        private long sentEnd;
        volatile long received;

        Connection(int id, int[] sizes, ExecutorService worker, CountDownLatch done) {
            this.id = id;
            this.sizes = sizes;
            this.worker = worker;
            this.done = done;
        }

        long total() {
            long t = 0;
            for (int s : sizes) t += s;
            return t;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            worker.execute(() -> sendNext(ctx));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf echo = (ByteBuf) msg;
            worker.execute(() -> {
                try {
                    check(echo);
                } catch (Throwable t) {
                    fail(t);
                    ctx.close();
                    return;
                } finally {
                    echo.release();
                }
                if (received == sentEnd) {
                    if (sent < sizes.length) sendNext(ctx);
                    else done.countDown();
                }
            });
        }

        private void check(ByteBuf echo) {
            int n = echo.readableBytes();
            byte[] got = new byte[n];
            echo.getBytes(echo.readerIndex(), got);
            long at = received;
            if (at + n > sentEnd) throw new AssertionError("connection " + id + ": " + (at + n) + " bytes back, "
                    + sentEnd + " sent");
            for (int i = 0; i < n; i++) {
                if (got[i] != pattern(id, at + i)) {
                    throw new AssertionError("connection " + id + ", byte " + (at + i) + ": got " + got[i]
                            + ", sent " + pattern(id, at + i));
                }
            }
            received = at + n;
        }

        private void sendNext(ChannelHandlerContext ctx) {
            int len = sizes[sent];
            byte[] bytes = new byte[len];
            for (int i = 0; i < len; i++) bytes[i] = pattern(id, sentEnd + i);
            sentEnd += len;
            boolean fromEventLoop = (sent++ & 1) == 1;
            Runnable send = () -> {
                ByteBuf out = ctx.alloc().directBuffer(len);
                out.writeBytes(bytes);
                ctx.writeAndFlush(out).addListener(failOnError());
            };
            if (fromEventLoop) ctx.executor().execute(send);
            else send.run();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }
    }
}
