package dev.cdc.e2e.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a local echo server: forward, drop, blackhole, heal. */
class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the test closed it
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = TcpProxy.start(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWaysOnLoopbackOnly() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
        }
        assertThat(proxy.port()).isPositive();
    }

    @Test
    void dropClosesTheLinkAndNewConnectionsWorkAgain() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "one")).isEqualTo("one");
            proxy.drop();
            client.setSoTimeout(2_000);
            assertThat(client.getInputStream().read()).as("end of stream after a drop").isEqualTo(-1);
        }
        try (Socket again = connect()) {
            assertThat(roundTrip(again, "two")).isEqualTo("two");
        }
    }

    @Test
    void blackholeHoldsDataWithoutClosingAndHealDeliversIt() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");
            proxy.blackhole();
            client.setSoTimeout(300);
            client.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client.getInputStream().read())
                    .as("nothing comes back, and the link is not closed either")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).isFalse();
            proxy.heal();
            client.setSoTimeout(5_000);
            assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("held");
        }
    }

    @Test
    void aConnectionMadeDuringABlackholeIsHeldUntilHeal() throws IOException {
        proxy.blackhole();
        try (Socket client = connect()) {
            client.setSoTimeout(300);
            client.getOutputStream().write("late".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.heal();
            client.setSoTimeout(5_000);
            assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("late");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.links() == 0);
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        s.setSoTimeout(5_000);
        return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
}
