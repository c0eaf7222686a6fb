package dev.cdc.e2e.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 between a client and one target port, for network faults (scenario F7). It forwards, and
 * on demand {@link #drop}s every link (closes both sides: the peers see the connection end), {@link #blackhole}s them
 * (stops reading and forwarding, keeps every socket open, sends no RST or FIN: as a cut cable looks, until a timeout
 * or heartbeat notices) or {@link #heal}s (forwards again, what was held included). New connections are accepted
 * in every state and held while blackholed. Two threads per link; for tests, not throughput.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean blackholed;
    private volatile boolean closed;

    private TcpProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    /** Listens on a free port of 127.0.0.1 and forwards to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy start(int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TcpProxy proxy = new TcpProxy(server, targetPort);
        Thread acceptor = new Thread(proxy::accept, "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Links open now. */
    public int links() {
        return links.size();
    }

    /** Closes every open link, both sides; new connections are accepted and forwarded. */
    public void drop() {
        for (Link l : links) {
            l.close();
        }
    }

    /** Stops forwarding: bytes are neither read nor passed on, sockets stay open, nothing tells the peers. */
    public void blackhole() {
        blackholed = true;
    }

    /** Forwards again, what the sockets held meanwhile first. */
    public void heal() {
        synchronized (gate) {
            blackholed = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                awaitForwarding(); // a blackhole holds new connections too: accepted, never answered
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, target);
                links.add(link);
                link.start();
            } catch (IOException | InterruptedException e) {
                closeQuietly(client);
            }
        }
    }

    private void awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (blackholed && !closed) {
                gate.wait();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        heal();
        drop();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a socket that is already gone: nothing to do
        }
    }

    /** One client connection and its connection to the target, a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket target;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() throws IOException {
            pump(client.getInputStream(), target.getOutputStream(), "up");
            pump(target.getInputStream(), client.getOutputStream(), "down");
        }

        private void pump(InputStream in, OutputStream out, String direction) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    while (true) {
                        awaitForwarding();
                        int n = in.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        awaitForwarding(); // read before the blackhole began: held, not passed on
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the link was dropped or a peer went away
                }
                close();
            }, "tcp-proxy-" + direction + "-" + client.getPort());
            t.setDaemon(true);
            t.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(target);
        }
    }
}
