package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which scenarios run for which architectures: {@code --arch spark|flink} (both when absent), {@code --only
 * F1,F7,O1,S,X} (when absent: every scenario but the long variants and those another covers, see
 * {@link Scenario#coveredBy}) and {@code --long} (adds the long variants; naming one in --only runs it too).
 * Unknown ids are an error naming the known ones.
 */
public record Selection(Set<ConsumerProcess> architectures, Set<String> only, boolean includeLong) {

    public Selection {
        architectures = architectures.isEmpty() ? EnumSet.allOf(ConsumerProcess.class) : EnumSet.copyOf(architectures);
        only = Set.copyOf(only);
    }

    public static Selection parse(String arch, String only, boolean includeLong, List<Scenario> known) {
        Set<ConsumerProcess> archs = arch == null || arch.isBlank() ? EnumSet.allOf(ConsumerProcess.class)
                : EnumSet.of(ConsumerProcess.parse(arch.trim()));
        Set<String> ids = new LinkedHashSet<>();
        if (only != null) {
            for (String part : only.split(",")) {
                if (!part.isBlank()) {
                    ids.add(part.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        Set<String> knownIds = new LinkedHashSet<>();
        known.forEach(s -> knownIds.add(s.id()));
        List<String> unknown = ids.stream().filter(id -> !knownIds.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--only: unknown scenario " + String.join(", ", unknown) + "; known: "
                    + String.join(",", knownIds));
        }
        return new Selection(archs, ids, includeLong);
    }

    /** The runs, in the order of {@code known} (its priority), each scenario for each selected architecture. */
    public List<Run> select(List<Scenario> known) {
        List<Run> runs = new ArrayList<>();
        for (Scenario s : known) {
            boolean named = only.contains(s.id());
            if (!only.isEmpty() && !named || !named && (s.isLong() && !includeLong || s.coveredBy() != null)) {
                continue;
            }
            for (ConsumerProcess a : ConsumerProcess.values()) {
                if (architectures.contains(a) && s.architectures().contains(a)) {
                    runs.add(new Run(s, a));
                }
            }
        }
        return runs;
    }

    /** One scenario on one architecture. */
    public record Run(Scenario scenario, ConsumerProcess architecture) {
    }
}
