package dev.cdc.e2e.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Endpoint;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.message.Message;

/**
 * A test tool, <b>not our client</b>: publishes the way a non-JMS AMQP 1.0 producer would, with the bare Proton-J
 * engine over a blocking socket (no Qpid JMS, so none of its message annotations such as {@code x-opt-jms-dest} or
 * {@code x-opt-jms-msg-type}, and no {@code to} unless asked). SASL ANONYMOUS, one connection and session; each
 * {@link #send} opens a sender link on the address, waits for the broker's disposition (Accepted, or it throws) and
 * closes the link.
 */
public final class ForeignAmqpPublisher implements AutoCloseable {

    /** A message body: one AMQP Data section, or an AmqpValue (a string, a map, a {@link Binary}...). */
    public record Body(Section section) {
        public static Body data(byte[] bytes) {
            return new Body(new Data(new Binary(bytes)));
        }

        public static Body text(String text) {
            return new Body(new AmqpValue(text));
        }

        public static Body value(Object value) {
            return new Body(new AmqpValue(value));
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Transport transport = Transport.Factory.create();
    private final Connection connection = Connection.Factory.create();
    private final Session session;
    private int sent;

    public ForeignAmqpPublisher(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(100);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        transport.sasl().client();
        transport.sasl().setMechanisms("ANONYMOUS");
        transport.bind(connection);
        connection.setContainer("foreign-publisher");
        connection.setHostname(host);
        connection.open();
        session = connection.session();
        session.open();
        pumpUntil(() -> session.getRemoteState() == EndpointState.ACTIVE, "the session to open", connection);
    }

    public void send(String address, Body body, Map<String, String> properties, boolean setTo) throws IOException {
        send(address, body, properties, setTo, null, true);
    }

    /** Sends one message and returns once the broker accepted it. */
    public void send(String address, Body body, Map<String, String> properties, boolean setTo, String contentType,
              boolean durable) throws IOException {
        Message message = Message.Factory.create();
        message.setBody(body.section());
        if (properties != null && !properties.isEmpty()) {
            message.setApplicationProperties(new ApplicationProperties(new HashMap<>(properties)));
        }
        if (setTo) {
            message.setAddress(address); // the properties section's `to`
        }
        if (contentType != null) {
            message.setContentType(contentType);
        }
        if (durable) {
            message.setDurable(true); // a header section
        }
        Sender sender = session.sender("foreign-sender-" + sent);
        Target target = new Target();
        target.setAddress(address);
        sender.setTarget(target);
        sender.setSource(new Source());
        sender.setSenderSettleMode(SenderSettleMode.UNSETTLED);
        sender.open();
        pumpUntil(() -> sender.getRemoteState() == EndpointState.ACTIVE && sender.getCredit() > 0,
                "credit on " + address, sender);
        Delivery delivery = sender.delivery(("d" + sent++).getBytes(StandardCharsets.US_ASCII));
        byte[] encoded = encode(message);
        sender.send(encoded, 0, encoded.length);
        sender.advance();
        pumpUntil(() -> delivery.getRemoteState() != null, "the disposition of a message to " + address, sender);
        delivery.settle();
        sender.close();
        pumpUntil(() -> sender.getRemoteState() == EndpointState.CLOSED, "the link to close", connection);
        if (!(delivery.getRemoteState() instanceof Accepted)) {
            throw new IOException("the broker did not accept a message to " + address + ": " + delivery.getRemoteState());
        }
    }

    private static byte[] encode(Message message) {
        for (int size = 1024; ; size *= 2) {
            byte[] buffer = new byte[size];
            try {
                int length = message.encode(buffer, 0, size);
                return java.util.Arrays.copyOf(buffer, length);
            } catch (BufferOverflowException tooSmall) {
                // twice the room
            }
        }
    }

    /** Writes what the engine has to send and feeds it what the socket brings, until {@code done} or an error. */
    private void pumpUntil(BooleanSupplier done, String what, Endpoint watched) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            for (int pending = transport.pending(); pending > 0; pending = transport.pending()) {
                ByteBuffer head = transport.head();
                byte[] bytes = new byte[head.remaining()];
                head.get(bytes);
                out.write(bytes);
                transport.pop(bytes.length);
            }
            out.flush();
            if (done.getAsBoolean()) {
                return;
            }
            for (Endpoint e : new Endpoint[] {watched, connection}) {
                ErrorCondition error = e.getRemoteCondition();
                if (error != null && error.getCondition() != null) {
                    throw new IOException("waiting for " + what + ": the broker said " + error);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out waiting for " + what);
            }
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException quiet) {
                continue;
            }
            if (read < 0) {
                transport.close_tail();
                throw new IOException("the broker closed the socket while waiting for " + what);
            }
            for (int at = 0; at < read; ) {
                int n = Math.min(transport.capacity(), read - at);
                if (n <= 0) {
                    throw new IOException("the engine takes no more input (" + transport.capacity() + ")");
                }
                transport.tail().put(buffer, at, n);
                transport.process();
                at += n;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            session.close();
            connection.close();
            pumpUntil(() -> connection.getRemoteState() == EndpointState.CLOSED, "the connection to close", connection);
        } finally {
            socket.close();
        }
    }
}
