package dev.cdc.infra;

import java.io.IOException;

/** A server of ours cannot listen where it is configured to: something else holds the port. */
public final class PortTakenException extends IOException {

    public PortTakenException(String what, String host, int port, String setting, Throwable cause) {
        super(what + " cannot listen on " + host + ":" + port + ": the port is taken (another ./cdc infra, demo or"
                + " server?); stop it or set " + setting, cause);
    }
}
