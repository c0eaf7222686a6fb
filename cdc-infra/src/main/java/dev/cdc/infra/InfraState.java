package dev.cdc.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ./cdc infra} left running, in {@code <data-dir>/infra.json}, so {@code ./cdc stop} can stop it and
 * {@code --clean} knows which directories are its data. Holds no credentials.
 *
 * @param dataDirs the directories the running servers own
 */
public record InfraState(int version, long pid, String startedAt, String broker, String postgres, List<String> dataDirs) {

    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path file(Path dataDir) {
        return dataDir.resolve("infra.json");
    }

    public static Optional<InfraState> read(Path dataDir) throws IOException {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        InfraState state = JSON.readValue(file.toFile(), InfraState.class);
        if (state.version() != VERSION) {
            throw new IOException(file + " has state version " + state.version() + ", this build reads " + VERSION);
        }
        return Optional.of(state);
    }

    public void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve("infra.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file(dataDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether the process that wrote this state still runs. */
    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
