package dev.cdc.generator;

import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.config.Configuration;
import dev.cdc.generator.schema.DecimalMode;
import java.nio.file.Path;
import java.util.Map;

/** Test support: the runs several test classes share (cached by {@link GeneratedRun#of}). */
final class Runs {

    static final long SEED = 424_242L;

    private Runs() {
    }

    /** The alert rules of the shipped configuration (configs/cdc.yaml), which Architecture B raises. */
    static AlertRules shippedAlerts() {
        return AlertRules.load(Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of()));
    }

    /**
     * Every scenario (schema, XML, malformed bodies, late duplicates) then random changes, at the max rate, with
     * the shipped alert rules: long enough in precise mode for rows to be updated, deleted and re-sent late many
     * times.
     */
    static GeneratorConfig allScenarios(DecimalMode mode) {
        return GeneratorConfig.builder()
                .seed(SEED)
                .rate(Rate.MAX)
                .decimalMode(mode)
                .scenarios(Scenario.parseList("all"))
                .events(mode == DecimalMode.PRECISE ? 15_000L : 8_000L)
                .alerts(shippedAlerts())
                .build();
    }

    static GeneratedRun allScenariosRun(DecimalMode mode) {
        return GeneratedRun.of(allScenarios(mode));
    }
}
