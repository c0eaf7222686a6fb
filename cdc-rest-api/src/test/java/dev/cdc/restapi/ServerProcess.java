package dev.cdc.restapi;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** A server in a process of its own, for the kill -9 test: args data-dir, token. Prints {@code PORT=n} when up. */
public final class ServerProcess {

    private ServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        RestApiServer server = RestApiServer.start(RestApiOptions.defaults(args[1], Path.of(args[0])).withPort(0));
        System.out.println("PORT=" + server.port());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }
}
