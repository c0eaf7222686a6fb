package dev.cdc.common.config;

import java.util.List;

/** The PostgreSQL ODS settings (section {@code postgres}), declared once for the embedded server and the writers. */
public final class PostgresSettings {

    public static final Setting<String> HOST = Setting.string("postgres.host", "127.0.0.1", "PostgreSQL host ($POSTGRES_HOST)");
    public static final Setting<Integer> PORT = Setting.integer("postgres.port", 5432, 1, 65535, "PostgreSQL port ($POSTGRES_PORT)");
    public static final Setting<String> DB = Setting.string("postgres.db", "cdc", "database of the ODS ($POSTGRES_DB)");
    public static final Setting<String> USER = Setting.string("postgres.user", "cdc_user", "ODS user ($POSTGRES_USER)");
    public static final Setting<String> PASSWORD = Setting.secret("postgres.password", "ODS password ($POSTGRES_PASSWORD)");

    public static final Setting<String> URL = Setting.string("postgres.url", "",
            "a JDBC URL of an external PostgreSQL; when set it replaces host, port and db, and ./cdc infra starts no embedded server");

    public static final List<Setting<?>> ALL = List.of(HOST, PORT, DB, USER, PASSWORD, URL);

    private PostgresSettings() {
    }

    public static boolean external(Configuration config) {
        return !config.get(URL).isBlank();
    }

    public static String jdbcUrl(Configuration config) {
        return external(config) ? config.get(URL)
                : "jdbc:postgresql://" + config.get(HOST) + ":" + config.get(PORT) + "/" + config.get(DB);
    }
}
